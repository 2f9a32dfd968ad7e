// Minimal types for the parts of Citation.js 0.8 and citeproc-js that src/cite/format.ts uses
// (the packages ship none).

declare module '@citation-js/core' {
  /** One CSL-JSON item as Citation.js holds it. */
  export interface CslItem {
    id: string;
    type?: string;
    DOI?: string;
    URL?: string;
    number?: string;
    publisher?: string;
    [field: string]: unknown;
  }

  /** One RIS record as an object: tag -> value(s). */
  export type RisRecord = Record<string, string | number | Array<string | number>>;

  export class Cite {
    constructor(data: unknown, options?: { forceType?: string });
    data: CslItem[];
    format(format: 'bibliography', options: { format: 'text'; template: string; lang: string }): string;
    format(format: 'biblatex'): string;
    format(format: 'ris', options: { format: 'object' }): RisRecord[];
    format(format: 'data', options: { format: 'object' }): CslItem[];
  }

  export const plugins: { config: { get(name: '@bibtex'): { format: { checkLabel: boolean } } } };
  export const logger: { level: string };

  /**
   * module.exports, as Node and esbuild's split chunks offer it; absent under tsx, which reads the
   * package's `__esModule` flag and offers the named exports only.
   */
  const core: { Cite: typeof Cite; plugins: typeof plugins; logger: typeof logger } | undefined;
  export default core;
}

declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/plugin-csl';
declare module '@citation-js/plugin-ris';

declare module 'citeproc' {
  /** The CSL namespace object (module.exports); only its debug channel is used. */
  const CSL: { debug: (message: string) => void };
  export default CSL;
}
