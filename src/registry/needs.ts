/** What each host needs from the user before a download can succeed. Pure. */
import type { Source } from './types.js';

/** A short phrase: what fetching from this source will need (empty when nothing special). */
export function sourceNeeds(source: Source): string {
  switch (source.host) {
    case 'baidu-pan':
      return `manual step: download in a browser${source.code ? ` (extraction code ${source.code})` : ''}, then \`openmedlab cache import\``;
    case 'manual':
      return 'manual step: obtain it from the page, then `openmedlab cache import`';
    case 'huggingface':
      return source.gated
        ? 'HF_TOKEN with access granted on the Hub page'
        : source.path
          ? ''
          : 'whole repository';
    case 'google-drive-folder':
      return 'folder listing (every file fetched)';
    case 'in-repo':
      return 'comes with the code (`openmedlab clone`)';
    default:
      return '';
  }
}

/** Where a source points, as a URL a person can open. */
export function sourceUrl(source: Source, hfEndpoint = 'https://huggingface.co'): string {
  switch (source.host) {
    case 'https':
    case 'onedrive':
    case 'baidu-pan':
    case 'manual':
      return source.url;
    case 'github-release':
      return `https://github.com/${source.repo}/releases/download/${source.tag}/${source.asset}`;
    case 'huggingface': {
      const prefix =
        source.repoType === 'dataset' ? 'datasets/' : source.repoType === 'space' ? 'spaces/' : '';
      const base = `${hfEndpoint}/${prefix}${source.repo}`;
      return source.path ? `${base}/blob/${source.revision ?? 'main'}/${source.path}` : base;
    }
    case 'google-drive':
      return `https://drive.google.com/file/d/${source.id}/view`;
    case 'google-drive-folder':
      return `https://drive.google.com/drive/folders/${source.id}`;
    case 'zenodo':
      return `https://zenodo.org/records/${source.record}`;
    case 'in-repo':
      return source.path;
  }
}
