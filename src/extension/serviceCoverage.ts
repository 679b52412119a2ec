import { mdCode, mdText } from '../core/report/safeText';
import { SERVICE_CATALOG } from '../core/services/catalog';
import { computeServiceCoverage, type ServiceCoverage } from '../core/workflow/validation/serviceCoverage';
import type { WeaverGenContext } from './context';
import { reportDocumentsFor } from './reportDocuments';

/**
 * "WeaverGen: Show Service Coverage": which registered services the runs recorded in this
 * workspace exercised, with their success rate, read from each run's service spans. Opens as a
 * read-only report document: nothing is written to disk, and closing it asks nothing.
 */

function percent(rate: number | null): string {
  return rate === null ? '–' : `${Math.round(rate * 1000) / 10} %`;
}

export function coverageMarkdown(coverage: ServiceCoverage): string {
  const lines = [
    '# WeaverGen service coverage',
    '',
    `${coverage.runs} recorded run(s), ${coverage.invalidRuns} whose spans do not match their workflow.`,
    '',
    '| service | calls | ok | failed | cancelled | success | workflows |',
    '|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const e of [...coverage.services, ...coverage.uncatalogued]) {
    // Service and workflow names come from run records, which a project's own workflows fill.
    lines.push(`| ${mdCode(e.service, { inTable: true })} | ${e.calls} | ${e.succeeded} | ${e.failed} | ${e.cancelled} | ${percent(e.successRate)} | ${e.workflows.map(mdText).join(', ')} |`);
  }
  lines.push('');
  lines.push(
    coverage.neverExercised.length === 0
      ? 'Every registered service was exercised.'
      : `Never exercised: ${coverage.neverExercised.map((s) => mdCode(s)).join(', ')}.`,
  );
  return `${lines.join('\n')}\n`;
}

export async function showServiceCoverage(ctx: WeaverGenContext): Promise<void> {
  const coverage = computeServiceCoverage(await ctx.history.all(), SERVICE_CATALOG);
  // Each showing is its own report, named by when it was made.
  const id = `coverage-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await reportDocumentsFor(ctx).open(id, 'service coverage', { language: 'markdown', content: coverageMarkdown(coverage) });
}
