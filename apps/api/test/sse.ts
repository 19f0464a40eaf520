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
          const fields = block.split('\n').filter((line) => !line.startsWith(':'));
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

  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    received,
    /** The first event (already received or yet to come) matching the predicate, or an error after timeoutMs. */
    next(predicate: (event: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = received.find(predicate);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching event within ${timeoutMs} ms; got ${received.map((e) => e.event).join(', ')}`,
            ),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
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
