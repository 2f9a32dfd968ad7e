/** `openmedlab cite <id...>`: citations in several formats, offline. */
import { type Command, Option } from 'commander';
import { cite } from '../../api/cite.js';
import type { CiteFormat } from '../../cite/format.js';
import { examples } from '../options.js';
import type { Runtime } from '../runtime.js';

const FORMATS: CiteFormat[] = ['bibtex', 'biblatex', 'apa', 'ris', 'csl-json'];

/** Register `cite`. */
export function registerCite(program: Command, rt: Runtime): void {
  program
    .command('cite')
    .description("print the projects' papers as BibTeX, BibLaTeX, APA, RIS or CSL-JSON")
    .argument('[ids...]', 'project ids or aliases')
    .option('--all', 'every project that publishes a citation')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('bibtex'))
    .option('--json', 'same as --format csl-json')
    .addHelpText(
      'after',
      examples(
        'openmedlab cite medfmc',
        'openmedlab cite endo-fm stu-net --format apa',
        'openmedlab cite --all > openmedlab.bib',
      ),
    )
    .action(async (ids: string[], flags: { all?: boolean; format: CiteFormat; json?: boolean }) => {
      const format = flags.json ? 'csl-json' : flags.format;
      const text = await cite({
        ctx: await rt.context(),
        ids,
        all: flags.all === true,
        format,
        events: rt.events,
      });
      rt.out(text);
    });
}
