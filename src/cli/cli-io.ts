/** The CLI's only contact with the terminal, so commands can be tested with scripted input. */
import { createInterface } from 'node:readline';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Reads one line; hides what is typed when `secret` and the input is a terminal. */
  ask(prompt: string, secret: boolean): Promise<string>;
  /** Everything on standard input. */
  readStdin(): Promise<string>;
  /** Replaces the progress line (a terminal's standard error only; empty text clears it). */
  progress?(text: string): void;
  /** Standard error is a terminal: progress as a bar (`progress`), else as plain lines. */
  tty?: boolean;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  stopSignal(): Promise<string>;
}

export function processIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t + '\n'),
    err: (t) => process.stderr.write(t + '\n'),
    progress: (t) => {
      if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${t.slice(0, (process.stderr.columns || 80) - 1)}`);
    },
    tty: process.stderr.isTTY === true,
    env: process.env,
    ask(prompt, secret) {
      return new Promise((resolve) => {
        const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
        if (secret && process.stdin.isTTY) {
          // Echo nothing while a secret is typed.
          (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
            if (s.startsWith(prompt)) process.stderr.write(prompt);
          };
        }
        rl.question(prompt, (answer) => {
          rl.close();
          if (secret && process.stdin.isTTY) process.stderr.write('\n');
          resolve(answer);
        });
      });
    },
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    stopSignal: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      }),
  };
}
