import { describe, expect, it } from "vitest";
import { buttonForReaction, emojiForButtons, normaliseKey, purposeOf, REACTION_TABLE } from "../../adapters/matrix/reactions.ts";

const card = [
  { label: "Approve", command: "approve 12" },
  { label: "Decline", command: "decline 12" },
];

describe("reactions as buttons", () => {
  it("maps ✅ to Approve and ❌ to Decline, whatever variation or skin tone the client sends", () => {
    expect(buttonForReaction("✅", card)?.command).toBe("approve 12");
    expect(buttonForReaction("✅️", card)?.command).toBe("approve 12");
    expect(buttonForReaction("✔️", card)?.command).toBe("approve 12");
    expect(buttonForReaction("❌", card)?.command).toBe("decline 12");
    expect(buttonForReaction("❎", card)?.command).toBe("decline 12");
  });

  it("maps 🙋 to Claim and 👍/👎/🤔 to the RSVP answers", () => {
    expect(buttonForReaction("🙋‍♀️", [{ label: "Claim", command: "claim 7" }])?.command).toBe("claim 7");
    const rsvp = [
      { label: "Yes", command: "rsvp 3 yes" },
      { label: "No", command: "rsvp 3 no" },
      { label: "Maybe", command: "rsvp 3 maybe" },
    ];
    expect(buttonForReaction("👍🏽", rsvp)?.command).toBe("rsvp 3 yes");
    expect(buttonForReaction("👎", rsvp)?.command).toBe("rsvp 3 no");
    expect(buttonForReaction("🤔", rsvp)?.command).toBe("rsvp 3 maybe");
    expect(buttonForReaction("✅", [{ label: "Reject", command: "reject 1" }])).toBeUndefined();
  });

  it("ignores reactions that match no button", () => {
    expect(buttonForReaction("🎉", card)).toBeUndefined();
    expect(buttonForReaction("🙋", card)).toBeUndefined();
    expect(buttonForReaction("✅", [])).toBeUndefined();
  });

  it("matches labels loosely (case, emoji around them) and gives an emoji to one button only", () => {
    expect(emojiForButtons([{ label: "✅ approve", command: "a" }, { label: "Accept", command: "b" }, { label: "Later", command: "c" }])).toEqual(["✅", undefined, undefined]);
    expect(buttonForReaction("✅", [{ label: "Later", command: "c" }, { label: "ACCEPT", command: "b" }])?.command).toBe("b");
  });

  it("normalises keys and names each purpose", () => {
    expect(normaliseKey("👍🏿")).toBe("👍");
    expect(normaliseKey("🙋‍♂️")).toBe("🙋");
    expect(purposeOf("Approve")).toBe("to approve");
    expect(purposeOf("Not going")).toBe("for “Not going”");
    expect(new Set(REACTION_TABLE.map((r) => r.emoji)).size).toBe(REACTION_TABLE.length);
  });
});
