export * from './attributes';
export { getRunTracing, type RunTracing } from './tracing';
export { toOtlpTraceExport, toOtlpAttributes, hrTimeToNanos } from './otlpJson';
export { validateOtlpTraceExport } from './otlpValidation';
export { validateRunRecord, isRunRecord } from './runRecordValidation';
export { RunStore, RunStoreError, type RunStoreOptions, type RunSummary } from './runStore';
