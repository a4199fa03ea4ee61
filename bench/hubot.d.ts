// The slice of Hubot 14's API the peer benchmark uses (Hubot ships no types).
declare module "hubot" {
  export class User {
    constructor(id: string, options?: Record<string, unknown>);
    id: string;
  }
  export class TextMessage {
    constructor(user: User, text: string, id: string);
  }
  export interface Response {
    match: RegExpMatchArray;
    message: { user: User };
    reply(...strings: string[]): Promise<unknown>;
  }
  export class Adapter {
    constructor(robot: Robot);
    send(...args: unknown[]): Promise<void>;
    reply(...args: unknown[]): Promise<void>;
    run(): Promise<void>;
    close(): void;
  }
  export class Robot {
    constructor(adapter: unknown, httpd: boolean, name: string);
    adapter: Adapter;
    brain: { get(key: string): unknown; set(key: string, value: unknown): void };
    respond(regex: RegExp, callback: (res: Response) => void): void;
    receive(message: TextMessage): Promise<void>;
    shutdown(): void;
  }
}
