import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A registry with hostile names, built in a temp folder: file names, group ids, attribute ids,
 * briefs and notes holding a line break followed by a GitHub workflow command, ESC sequences (an
 * OSC 8 hyperlink, a line erase), lone CRs, bidi overrides, and markdown links, HTML and pipes.
 * `/` and NUL cannot be in a Linux file name: every other hostile character is.
 */

export const COMMAND = '\n::error file=x::pwned';
export const OSC_LINK = '\x1b]8;;http://evil\x07click\x1b]8;;\x07';
export const LINE_ERASE = '\x1b[2K';
export const LONE_CR = '\rfake';
export const BIDI = '\u202eevil\u2066x\u2069';
export const MARKDOWN = '`[x](command:workbench.action.terminal.new)`<img src=x onerror=alert(1)>|*b*';
export const LEGACY_COMMAND = '##[error]legacy';

/** A file name cannot hold `/`: the same sequence with `_` there. */
const fileName = (name: string): string => name.replace(/\//g, '_');

/** The hostile file names (each holds a group with a broken reference, so each gets a finding). */
export const HOSTILE_FILES = [
  `evil${COMMAND}.yaml`,
  `esc${LINE_ERASE}${OSC_LINK}.yaml`,
  `cr${LONE_CR}.yaml`,
  `bidi${BIDI}.yaml`,
  `md${MARKDOWN}.yaml`,
  `::error file=y::start.yaml`,
  `legacy${LEGACY_COMMAND}.yaml`,
].map(fileName);

/** A YAML double-quoted scalar holding `text` (JSON strings are YAML double-quoted scalars). */
function q(text: string): string {
  return JSON.stringify(text);
}

/** Every hostile piece at once, for ids, briefs and notes. */
export const ALL = `${COMMAND}${OSC_LINK}${LINE_ERASE}${LONE_CR}${BIDI}${MARKDOWN} ${LEGACY_COMMAND}`;

export const HOSTILE_ATTRIBUTE = `evil.attr${COMMAND}`;
export const HOSTILE_GROUP = `registry.evil${OSC_LINK}`;

function attributesFile(withRenamed: boolean): string {
  return `groups:
  - id: ${q(HOSTILE_GROUP)}
    type: attribute_group
    brief: ${q(`Group brief${ALL}`)}
    attributes:
      - id: evil.plain
        type: string
        brief: ${q(`An attribute whose brief is hostile${ALL}`)}
        note: ${q(`Note${ALL}`)}
        stability: development
        examples: ["a"]
      - id: ${q(HOSTILE_ATTRIBUTE)}
        type: string
        brief: ${q(`evil attribute${LINE_ERASE}`)}
        stability: development
        examples: ["a"]
      - id: ${q(`evil.md${MARKDOWN}`)}
        type: string
        brief: evil markdown id
        stability: development
        examples: ["a"]
      - id: evil.enum
        type:
          members:
            - id: ${q(`member${MARKDOWN}`)}
              value: ${q(`value${MARKDOWN}${COMMAND}`)}
              brief: ${q(`member brief | with a pipe${LONE_CR}`)}
              stability: development
        brief: an enum whose members are hostile
        stability: development
      - id: evil.old
        type: string
        brief: renamed in the head
        stability: development
        examples: ["a"]
${
  withRenamed
    ? `        deprecated:
          reason: renamed
          renamed_to: ${q(`evil.new${MARKDOWN}`)}
          note: ${q(`Renamed${ALL}`)}
`
    : ''
}`;
}

function brokenRefFile(index: number): string {
  return `groups:
  - id: span.evil.f${index}
    type: span
    span_kind: client
    stability: development
    brief: ${q(`span ${index}${ALL}`)}
    attributes:
      - ref: evil.plain
      - ref: ${q(`missing${index}${COMMAND}${OSC_LINK}${BIDI}`)}
`;
}

export interface HostileRegistries {
  work: string;
  /** The head registry: hostile files, ids and text; every hostile file has one broken reference. */
  head: string;
  /** The baseline for diff: the same attributes without the rename, plus one the head removes. */
  baseline: string;
}

export async function buildHostileRegistries(): Promise<HostileRegistries> {
  const work = await mkdtemp(join(tmpdir(), 'weavergen-hostile-'));
  const head = join(work, 'head');
  const baseline = join(work, 'baseline');
  await mkdir(head);
  await mkdir(baseline);
  await writeFile(join(head, 'attributes.yaml'), attributesFile(true));
  for (const [i, name] of HOSTILE_FILES.entries()) await writeFile(join(head, name), brokenRefFile(i));
  await writeFile(
    join(baseline, 'attributes.yaml'),
    `${attributesFile(false)}      - id: ${q(`evil.removed${ALL}`)}
        type: string
        brief: removed in the head
        stability: development
        examples: ["a"]
`,
  );
  return { work, head, baseline };
}
