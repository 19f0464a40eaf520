/** A server-sent events client for tests: reads a real HTTP stream and hands out events as they arrive. */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

export async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  if (!response.ok || !response.body)
    throw new Error(`stream answered ${response.status}: ${await response.text()}`);
  const received: SseEvent[] = [];
  /** Comment lines (`: text`), such as heartbeats, which the browser skips. */
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  let buffer = '';
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  let endedByServer = false;
  const ending = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          endedByServer = true;
          return;
        }
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const fields = lines.filter((line) => !line.startsWith(':'));
          const noted = lines.filter((line) => line.startsWith(':')).map((line) => line.slice(1).trim());
          if (noted.length > 0) {
            comments.push(...noted);
            for (const wake of waiters) wake();
          }
          const field = (name: string) =>
            fields.filter((l) => l.startsWith(`${name}: `)).map((l) => l.slice(name.length + 2));
          const data = field('data');
          if (data.length > 0) {
            received.push({
              id: field('id')[0],
              event: field('event')[0] ?? 'message',
              data: data.join('\n'),
            });
            for (const wake of waiters) wake();
          }
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // Aborted by close().
    }
  })();

  /** Resolves with what `find` finds, now or when a later block arrives; an error after timeoutMs. */
  const until = <T>(find: () => T | undefined, timeoutMs: number, failure: () => string) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(failure()));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });

  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    received,
    /** The first event (already received or yet to come) matching the predicate, or an error after timeoutMs. */
    next(predicate: (event: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> {
      return until(
        () => received.find(predicate),
        timeoutMs,
        () => `no matching event within ${timeoutMs} ms; got ${received.map((e) => e.event).join(', ')}`,
      );
    },
    /** The first comment line matching the predicate (already received or yet to come), or an error after timeoutMs. */
    comment(predicate: (text: string) => boolean, timeoutMs = 5000): Promise<string> {
      return until(
        () => comments.find(predicate),
        timeoutMs,
        () => `no matching comment within ${timeoutMs} ms; got ${comments.join(', ')}`,
      );
    },
    /** Resolves when the server ends the stream; an error after timeoutMs while it is still open. */
    async ended(timeoutMs = 5000): Promise<void> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the stream was still open after ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([ending, late]);
      } finally {
        clearTimeout(timer);
      }
      if (!endedByServer) throw new Error('the stream was closed by the client, not ended by the server');
    },
    /** Whether the server has ended the stream (so far). */
    get open() {
      return !endedByServer;
    },
    close: () => controller.abort(),
  };
}
