import { ServiceRegistry } from '../../../src/core/services/registry';
import { ServiceError } from '../../../src/core/services/serviceError';
import type { ServiceContext } from '../../../src/core/workflow/types';
import { eventLoopTurns } from './helpers';

/**
 * Small real services for runner tests: they record what they saw so tests can assert on the
 * context the runner built, and they make spans of their own to check span parenting.
 */
export interface TestServices {
  registry: ServiceRegistry;
  /** Activity ids in call order. */
  calls: string[];
  /** The signal each call received, by activity id. */
  signals: Map<string, AbortSignal>;
  /** Resolves when `test.untilAborted` has started. */
  slowStarted: Promise<void>;
  /** What `test.untilAborted` saw when its signal fired. */
  slowAbortReason: () => unknown;
}

export function createTestServices(): TestServices {
  const calls: string[] = [];
  const signals = new Map<string, AbortSignal>();
  let markSlowStarted!: () => void;
  const slowStarted = new Promise<void>((r) => {
    markSlowStarted = r;
  });
  let abortReason: unknown = 'not aborted';
  const arrived = new Set<string>();
  let bothArrived!: () => void;
  const rendezvous = new Promise<void>((r) => {
    bothArrived = r;
  });

  const seen = (ctx: ServiceContext) => {
    calls.push(ctx.activity.id);
    signals.set(ctx.activity.id, ctx.signal);
  };

  const registry = new ServiceRegistry()
    .register('test.record', async (ctx) => {
      seen(ctx);
      // A span made under the active context, across an await, must hang under the service span.
      await ctx.tracer.startActiveSpan(`inner work ${ctx.activity.id}`, async (span) => {
        await eventLoopTurns(1);
        ctx.tracer.startSpan(`nested work ${ctx.activity.id}`).end();
        span.end();
      });
      return { outputs: { [`ran_${ctx.activity.id}`]: true, seenInputKeys: Object.keys(ctx.inputs).sort() } };
    })
    .register('test.fail', async (ctx) => {
      seen(ctx);
      await eventLoopTurns(1);
      const code = typeof ctx.inputs.failCode === 'string' ? ctx.inputs.failCode : 'PLANTED';
      throw new ServiceError(`planted failure in ${ctx.activity.id}`, code);
    })
    .register('test.untilAborted', (ctx) => {
      seen(ctx);
      markSlowStarted();
      return new Promise((_, reject) => {
        ctx.signal.addEventListener('abort', () => {
          abortReason = ctx.signal.reason;
          reject(new Error('stopped: the run was cancelled'));
        });
      });
    })
    .register('test.rendezvous', async (ctx) => {
      seen(ctx);
      arrived.add(ctx.activity.id);
      if (arrived.size === 2) bothArrived();
      // Waits for the other branch; run one after the other, the wait gives up after a bound
      // and the spans do not overlap, which the test reports.
      await Promise.race([rendezvous, eventLoopTurns(500)]);
      return {};
    })
    .register('test.decide', async (ctx) => {
      seen(ctx);
      return { outputs: { goLeft: ctx.inputs.goLeft === true } };
    });

  return { registry, calls, signals, slowStarted, slowAbortReason: () => abortReason };
}
