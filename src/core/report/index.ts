/** Writers of diagnostics for tools outside the editor (SARIF 2.1.0 logs, GitHub Actions annotations), and the escaping of registry text for every human-readable output. */
export { formatSarif, relativeUri, sarifText, toSarif, SARIF_SCHEMA_URI, SARIF_VERSION } from './sarif';
export type { SarifDriver, SarifLevel, SarifLog, SarifOptions, SarifResult, SarifRule, SarifRun } from './sarif';
export { escapeData, escapeProperty, formatGithubAnnotations, githubAnnotation } from './githubAnnotations';
export type { GithubAnnotationOptions } from './githubAnnotations';
export { mdCode, mdText, safeJson, safeYaml, textBlock, textField, textKeepingBreaks, textLine } from './safeText';
export { describeReportRoot, gitTopLevel, reportRoot } from './reportRoot';
export type { ReportRoot } from './reportRoot';
