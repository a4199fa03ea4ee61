// The peer: the same "log an action and reply" flow in Hubot 14 with its
// in-memory brain, one message at a time, receive → reply.
import { Adapter, Robot, TextMessage, User } from "hubot";
import { rounds, timeOps, type Timing } from "./stats.ts";

class MemoryAdapter extends Adapter {
  onReply: () => void = () => undefined;
  override async send(): Promise<void> {}
  override async reply(): Promise<void> {
    this.onReply();
  }
  override async run(): Promise<void> {}
  override close(): void {}
}

export async function hubotLog(n: number, roundCount: number): Promise<Timing> {
  process.env.HUBOT_LOG_LEVEL = "silent";
  const robot = new Robot(null, false, "hubot");
  const adapter = new MemoryAdapter(robot);
  robot.adapter = adapter;
  robot.respond(/log (.*)$/i, (res) => {
    const actions = (robot.brain.get("actions") as string[] | null) ?? [];
    actions.push(res.match[1]!);
    robot.brain.set("actions", actions);
    const counters = (robot.brain.get("counters") as Record<string, number> | null) ?? {};
    counters[res.message.user.id] = (counters[res.message.user.id] ?? 0) + 1;
    robot.brain.set("counters", counters);
    res.reply(`Logged action ${actions.length}`);
  });
  const users = Array.from({ length: 50 }, (_, i) => new User(`m${i}`, { name: `m${i}`, room: "comms" }));
  let id = 0;
  const result = await rounds(roundCount, () =>
    timeOps(n, (i) => {
      const replied = new Promise<void>((resolve) => (adapter.onReply = resolve));
      void robot.receive(new TextMessage(users[i % 50]!, `hubot log shared campaign material ${i}`, `msg-${++id}`));
      return replied;
    }),
  );
  robot.shutdown();
  return result;
}
