/** Writers of diagnostics for tools outside the editor: SARIF 2.1.0 logs and GitHub Actions annotations. */
export { formatSarif, relativeUri, toSarif, SARIF_SCHEMA_URI, SARIF_VERSION } from './sarif';
export type { SarifDriver, SarifLevel, SarifLog, SarifOptions, SarifResult, SarifRule, SarifRun } from './sarif';
export { escapeData, escapeProperty, formatGithubAnnotations, githubAnnotation } from './githubAnnotations';
export type { GithubAnnotationOptions } from './githubAnnotations';
