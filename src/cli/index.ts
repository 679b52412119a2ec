import { main } from './main';
import { processIo } from './io';
import { textBlock } from '../core/report/safeText';

/** Entry of dist/cli.js. Ctrl+C cancels the running workflow; a second Ctrl+C quits at once. */
const controller = new AbortController();
process.once('SIGINT', () => {
  controller.abort(new Error('interrupted'));
  process.once('SIGINT', () => process.exit(130));
});

main(process.argv.slice(2), processIo(controller.signal)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`weavergen: ${textBlock(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`);
    process.exitCode = 2;
  },
);
