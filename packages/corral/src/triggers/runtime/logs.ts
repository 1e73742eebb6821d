// What a function printed during one invocation, kept bounded: the first KiB and the last 3 KiB of its stdout and
// stderr together (in the order they arrived), with a line saying how much was left out between them; 4 KiB of
// UTF-8 at most in all.

export const LOG_HEAD_CHARS = 1024;
export const LOG_TAIL_CHARS = 3072;
/** The whole text's bound (storage/invocations.ts LOGS_MAX_BYTES). */
export const LOG_MAX_BYTES = 4096;

export class LogBuffer {
  private head = '';
  private tail = '';
  private cut = 0;

  append(text: string): void {
    if (!text) return;
    if (this.head.length < LOG_HEAD_CHARS) {
      const take = text.slice(0, LOG_HEAD_CHARS - this.head.length);
      this.head += take;
      text = text.slice(take.length);
      if (!text) return;
    }
    this.tail += text;
    if (this.tail.length > LOG_TAIL_CHARS * 2) this.trim();
  }

  private trim(): void {
    if (this.tail.length <= LOG_TAIL_CHARS) return;
    this.cut += this.tail.length - LOG_TAIL_CHARS;
    this.tail = this.tail.slice(-LOG_TAIL_CHARS);
  }

  get empty(): boolean {
    return !this.head && !this.tail;
  }

  /** At most LOG_MAX_BYTES of UTF-8 (what storage keeps): a longer text loses more of its middle. */
  text(): string {
    this.trim();
    for (;;) {
      const text = this.cut ? `${this.head}\n… [${this.cut} characters not kept] …\n${this.tail}` : this.head + this.tail;
      const over = Buffer.byteLength(text) - LOG_MAX_BYTES;
      if (over <= 0) return text;
      if (!this.tail)
        return Buffer.from(text, 'utf8')
          .subarray(0, LOG_MAX_BYTES)
          .toString('utf8')
          .replace(/\uFFFD$/, '');
      const drop = Math.min(this.tail.length, Math.max(over, 16));
      this.tail = this.tail.slice(drop);
      this.cut += drop;
    }
  }
}
