/**
 * Detect an HTML page where a binary was expected: Google Drive's quota and virus-scan pages,
 * SharePoint's sign-in page, a lab server's error page. torchvision needed nine bug reports before it
 * stopped saving these as checkpoints; we look at both the Content-Type and the first bytes.
 */

/** At most this many bytes of an HTML answer are read and handed to the host adapter. */
export const MAX_HTML_BYTES = 1024 * 1024;

/** True when the Content-Type names an HTML document. */
export function isHtmlContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'text/html' || type === 'application/xhtml+xml';
}

/** True when the first bytes of a body look like an HTML document (after a BOM and whitespace). */
export function looksLikeHtml(firstBytes: Uint8Array): boolean {
  const head = Buffer.from(firstBytes.buffer, firstBytes.byteOffset, Math.min(firstBytes.length, 512))
    .toString('latin1')
    .replace(/^\u00ef\u00bb\u00bf/, '')
    .trimStart()
    .slice(0, 64)
    .toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<head');
}

/** True when a response is an HTML page, by header or by content. */
export function isHtmlResponse(contentType: string | undefined, firstBytes: Uint8Array | undefined): boolean {
  return isHtmlContentType(contentType) || (firstBytes !== undefined && looksLikeHtml(firstBytes));
}
