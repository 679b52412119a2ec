import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
// The non-embedded font stylesheet: its fonts are files served from the webview root, which the
// panel's CSP (`font-src ${cspSource}`) allows; the embedded variant inlines data: fonts it blocks.
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import './runView.css';

import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import type { RunRecord } from '../../src/core/workflow/types';
import { type RunViewToHost, isHostToRunView } from '../../src/protocol/runView';
import { activityBadge, formatDuration, runHeadline, spanRows } from '../../src/protocol/runViewModel';

/**
 * The run view: draws the BPMN that ran with each activity marked by its state and duration,
 * the run header, and the run's spans. Speaks first (`ready`) and redraws on every `init`.
 *
 * Hooks for tests and themes: the element's SVG group gets `wg-state-<state>`, each activity has
 * an overlay `.wg-badge[data-activity-id][data-state]`, the spans are `#wg-spans tbody tr[data-span-id]`.
 */

interface VsCodeApi {
  postMessage(message: RunViewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('wg-root') as HTMLElement;
let viewer: NavigatedViewer | undefined;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { id?: string; className?: string; text?: string; attrs?: Record<string, string> } = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.id) node.id = props.id;
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

function resetViewer(): void {
  viewer?.destroy();
  viewer = undefined;
}

function showEmpty(message: string): void {
  resetViewer();
  root.dataset.state = 'empty';
  root.replaceChildren(el('p', { id: 'wg-empty', className: 'wg-message', text: message }));
}

function header(run: RunRecord): HTMLElement {
  const field = (name: string, label: string, value: string): HTMLElement[] => [
    el('dt', { text: label }),
    el('dd', { text: value, attrs: { 'data-field': name } }),
  ];
  const openLog = el('a', { id: 'wg-open-log', text: 'Open log', attrs: { href: '#' } });
  openLog.addEventListener('click', (event) => {
    event.preventDefault();
    vscode.postMessage({ type: 'openLog' });
  });
  const head = el(
    'header',
    { id: 'wg-run-header', attrs: { 'data-run-id': run.id, 'data-status': run.status } },
    el('h1', { text: runHeadline(run) }),
    el(
      'dl',
      {},
      ...field('workflow', 'Workflow', run.workflow),
      ...field('status', 'Status', run.status),
      ...field('engine', 'Engine', run.engine),
      ...field('duration', 'Duration', formatDuration(run.durationMs)),
      ...field('started', 'Started', new Date(run.startedAt).toLocaleString()),
      ...field('run-id', 'Run', run.id),
    ),
    openLog,
  );
  if (run.error) {
    const where = run.error.activityId ? ` (at ${run.error.activityId})` : '';
    head.append(el('p', { id: 'wg-run-error', className: 'wg-error', text: `${run.error.message}${where}` }));
  }
  return head;
}

function spanTable(run: RunRecord): HTMLElement {
  const rows = spanRows(run.spans).map((row) => {
    const name = el('td', { className: 'wg-span-name', text: row.name });
    name.style.paddingLeft = `${0.5 + row.depth * 1.25}em`;
    const status = el('td', { className: `wg-span-status wg-span-${row.status}`, text: row.status });
    if (row.statusMessage) status.title = row.statusMessage;
    return el(
      'tr',
      { attrs: { 'data-span-id': row.spanId, 'data-status': row.status } },
      name,
      el('td', { className: 'wg-num', text: formatDuration(row.durationMs) }),
      status,
      el('td', { text: row.parentName ?? '' }),
    );
  });
  const head = el(
    'thead',
    {},
    el('tr', {}, el('th', { text: 'Span' }), el('th', { text: 'Duration' }), el('th', { text: 'Status' }), el('th', { text: 'Parent' })),
  );
  const body = rows.length
    ? el('tbody', {}, ...rows)
    : el('tbody', {}, el('tr', {}, el('td', { text: 'This run recorded no spans.', attrs: { colspan: '4' } })));
  return el('section', { id: 'wg-spans-section' }, el('h2', { text: 'Spans' }), el('table', { id: 'wg-spans' }, head, body));
}

async function drawDiagram(container: HTMLElement, run: RunRecord): Promise<void> {
  viewer = new NavigatedViewer({ container });
  try {
    await viewer.importXML(run.bpmnXml);
  } catch (err) {
    container.replaceChildren(
      el('p', {
        id: 'wg-diagram-error',
        className: 'wg-message wg-error',
        text: `The workflow diagram could not be drawn: ${err instanceof Error ? err.message : String(err)}`,
      }),
    );
    return;
  }
  const canvas = viewer.get<Canvas>('canvas');
  const registry = viewer.get<ElementRegistry>('elementRegistry');
  const overlays = viewer.get<Overlays>('overlays');
  canvas.zoom('fit-viewport');
  for (const activity of run.activities) {
    const shape = registry.get(activity.id);
    if (!shape) continue; // e.g. a record from a since-edited workflow
    canvas.addMarker(activity.id, `wg-state-${activity.state}`);
    const badge = el('div', {
      className: `wg-badge wg-badge-${activity.state}`,
      text: activityBadge(activity),
      attrs: { 'data-activity-id': activity.id, 'data-state': activity.state },
    });
    if (activity.error) badge.title = activity.error;
    // Above the shape, centred: below it sit the labels of events and gateways.
    const width = 'width' in shape && typeof shape.width === 'number' ? shape.width : 0;
    overlays.add(activity.id, 'wg-state', { position: { top: -24, left: width / 2 }, html: badge });
  }
  for (const flow of run.takenFlows ?? []) {
    if (registry.get(flow)) canvas.addMarker(flow, 'wg-flow-taken');
  }
  container.dataset.ready = 'true';
}

async function showRun(run: RunRecord): Promise<void> {
  resetViewer();
  root.dataset.state = 'run';
  const diagram = el('section', { id: 'wg-diagram', className: 'wg-diagram' });
  root.replaceChildren(header(run), diagram, spanTable(run));
  await drawDiagram(diagram, run);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isHostToRunView(message)) return; // anything else is not ours
  if (message.type === 'empty') showEmpty(message.message);
  else void showRun(message.run);
});

vscode.postMessage({ type: 'ready' });
