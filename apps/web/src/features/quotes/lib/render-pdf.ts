import { GlobalWorkerOptions, getDocument } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

// PDF.js parses in a worker served from our own assets, never from a CDN.
GlobalWorkerOptions.workerSrc = workerUrl;

/**
 * Draws every page of the PDF at `url` (fetched with the session cookie, same origin) as a canvas `width`
 * CSS pixels wide, sharp on high-density screens. Phones cannot show a PDF inside a page; a canvas they can.
 */
export async function renderPdf(
  url: string,
  width: number,
  signal: AbortSignal,
): Promise<HTMLCanvasElement[]> {
  const task = getDocument({ url });
  const abort = () => void task.destroy();
  signal.addEventListener('abort', abort, { once: true });
  try {
    const pdf = await task.promise;
    const ratio = window.devicePixelRatio || 1;
    const canvases: HTMLCanvasElement[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const scale = width / page.getViewport({ scale: 1 }).width;
      const viewport = page.getViewport({ scale: scale * ratio });
      const canvas = document.createElement('canvas');
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.style.width = '100%';
      canvas.style.height = 'auto';
      await page.render({ canvas, viewport }).promise;
      canvases.push(canvas);
    }
    return canvases;
  } finally {
    signal.removeEventListener('abort', abort);
    if (!signal.aborted) await task.destroy();
  }
}
