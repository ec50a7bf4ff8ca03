import type {
  ChecklistItem,
  ChecklistPhase,
  DeployGate,
  DeployPhase,
  DeployTransition,
  DeployVerdict,
  DeployVerdicts,
} from '@flightdeck/contracts';

/** The phases a deploy ends in: nothing moves it on from there. */
export const endedPhases: readonly DeployPhase[] = ['done', 'cancelled', 'rolled-back'];
export const isEnded = (phase: DeployPhase) => endedPhases.includes(phase);

/** Where each transition a person or pipeline asks for may come from, and where it leads. */
const transitionRules: Record<DeployTransition, { from: readonly DeployPhase[]; to: DeployPhase }> = {
  'migration-started': { from: ['ready'], to: 'migrating' },
  'migration-finished': { from: ['ready', 'migrating'], to: 'verifying' },
  // A release without migrations goes out from ready; one with them says so once verified.
  released: { from: ['ready', 'verifying', 'monitoring'], to: 'verifying' },
  finish: { from: ['verifying', 'monitoring'], to: 'done' },
  cancel: { from: ['preparing', 'ready'], to: 'cancelled' },
};

export interface TransitionContext {
  phase: DeployPhase;
  /** Whether the release applies migrations (its target differs from the baseline revision). */
  hasMigrations: boolean;
  /** Whether it already said it went out. */
  released: boolean;
}

function refusalReason(transition: DeployTransition, context: TransitionContext): string | null {
  if (!transitionRules[transition].from.includes(context.phase)) return 'phase';
  if (transition === 'released' && context.phase === 'ready' && context.hasMigrations)
    return 'its migrations come first';
  if (transition === 'released' && context.phase !== 'ready' && context.released) return 'already released';
  if ((transition === 'migration-started' || transition === 'migration-finished') && !context.hasMigrations)
    return 'no migrations';
  return null;
}

/** The transitions that apply now. */
export function allowedTransitions(context: TransitionContext): DeployTransition[] {
  return (Object.keys(transitionRules) as DeployTransition[]).filter(
    (t) => refusalReason(t, context) === null,
  );
}

/** Where a transition leads, or why it does not apply, in words that say the phase and what is allowed. */
export function applyTransition(
  transition: DeployTransition,
  context: TransitionContext,
): { to: DeployPhase } | { refused: string } {
  const reason = refusalReason(transition, context);
  if (reason === null)
    return {
      to:
        transition === 'released' && context.phase !== 'ready'
          ? context.phase
          : transitionRules[transition].to,
    };
  const allowed = allowedTransitions(context);
  const because =
    reason === 'its migrations come first'
      ? 'the release applies migrations: tell the migration (or let Flightdeck see it) first'
      : reason === 'already released'
        ? 'the release already said it went out'
        : reason === 'no migrations'
          ? 'the release applies no migrations (its target is the database’s revision)'
          : `it does not apply to a deploy in phase ${context.phase}`;
  return {
    refused: `${transition} ${because}; allowed from ${context.phase}: ${allowed.length > 0 ? allowed.join(', ') : 'nothing (the deploy has ended)'}`,
  };
}

/** The deploy phases in which a checklist phase's items are judged. */
const openIn: Record<ChecklistPhase, readonly DeployPhase[]> = {
  'pre-deploy': ['preparing', 'ready'],
  during: ['migrating', 'verifying'],
  'post-deploy': ['verifying'],
  monitoring: ['monitoring'],
};
/** In words, when a checklist phase opens. */
export const opensWhen: Record<ChecklistPhase, string> = {
  'pre-deploy': 'at prepare',
  during: 'when the migration starts',
  'post-deploy': 'once the database reaches the release’s target (or the release went out)',
  monitoring: 'when the watch starts (the healthy gate says GO)',
};
const phaseOrder: DeployPhase[] = ['preparing', 'ready', 'migrating', 'verifying', 'monitoring', 'done'];

/**
 * Whether a checklist phase's items are judged now (`open`), not yet, or no more (`final`: what
 * they held at the end of their phase is their evidence). `reached` is the furthest phase the
 * deploy got to, for deploys that ended (cancelled, rolled back).
 */
export function itemJudgement(
  itemPhase: ChecklistPhase,
  deployPhase: DeployPhase,
  reached: DeployPhase = deployPhase,
): 'not-yet' | 'open' | 'final' {
  if (openIn[itemPhase].includes(deployPhase)) return 'open';
  const last = phaseOrder.indexOf(reached);
  const first = phaseOrder.indexOf(openIn[itemPhase][0]!);
  return last >= first ? 'final' : 'not-yet';
}

const gateItems: Record<DeployGate, readonly ChecklistPhase[]> = {
  migration: ['pre-deploy'],
  healthy: ['during', 'post-deploy'],
  close: ['monitoring'],
};
export const gateQuestions: Record<DeployGate, string> = {
  migration: 'Go for the migration?',
  healthy: 'Healthy?',
  close: 'Go to close?',
};

/** The gate a deploy in this phase is at. */
export function currentGate(phase: DeployPhase, reached: DeployPhase = phase): DeployGate {
  const at = isEnded(phase) && phase !== 'done' ? reached : phase;
  if (at === 'preparing' || at === 'ready') return 'migration';
  if (at === 'migrating' || at === 'verifying') return 'healthy';
  return 'close';
}

function gateVerdict(gate: DeployGate, items: ChecklistItem[], asked: boolean): DeployVerdict {
  const base = { gate, question: gateQuestions[gate] };
  if (!asked) return { ...base, verdict: 'pending', reasons: [] };
  const reasons = items
    .filter((item) => gateItems[gate].includes(item.phase))
    .flatMap((item) => {
      switch (item.state) {
        case 'pass':
        case 'signed-off':
          return [];
        case 'stale':
          return [`${item.title}: stale, ${item.reason}`];
        default:
          return [`${item.title}: ${item.reason}`];
      }
    });
  return { ...base, verdict: reasons.length === 0 ? 'GO' : 'NO-GO', reasons };
}

/**
 * Each gate's verdict on its own items: "go for the migration?" on the pre-deploy items, "healthy?"
 * on the during and post-deploy items once the migration started, "go to close?" on the monitoring
 * items once the watch started. A gate whose items' phase has not begun is `pending`.
 */
export function gateVerdicts(
  items: ChecklistItem[],
  phase: DeployPhase,
  reached: DeployPhase = phase,
): { verdict: DeployVerdict; verdicts: DeployVerdicts } {
  const furthest = phaseOrder.indexOf(isEnded(phase) && phase !== 'done' ? reached : phase);
  const verdicts: DeployVerdicts = {
    migration: gateVerdict('migration', items, true),
    healthy: gateVerdict('healthy', items, furthest >= phaseOrder.indexOf('migrating')),
    close: gateVerdict('close', items, furthest >= phaseOrder.indexOf('monitoring')),
  };
  return { verdict: verdicts[currentGate(phase, reached)], verdicts };
}

/** What the live data shows that moves a deploy on, before any gate: the snapshot, the revision, the aliases. */
export interface ObservedState {
  phase: DeployPhase;
  hasMigrations: boolean;
  snapshotAvailable: boolean;
  baselineRevision: string | null;
  targetRevision: string | null;
  /** The database's revisions now; null when the source has not answered. */
  currentRevisions: string[] | null;
  /** Aliases now on another version than at prepare, e.g. "backend:prod 7 → 8". */
  aliasesMoved: string[];
}

export interface ObservedTransition {
  to: DeployPhase;
  kind: 'snapshot-available' | 'migration-seen' | 'target-reached' | 'release-seen';
  message: string;
}

/** The next phase the live data moves the deploy to, if any (one step; call again for the next). */
export function observedTransition(state: ObservedState): ObservedTransition | null {
  const { phase, currentRevisions: current } = state;
  if (isEnded(phase)) return null;
  if (state.hasMigrations && current && ['preparing', 'ready', 'migrating'].includes(phase)) {
    if (state.targetRevision !== null && current.includes(state.targetRevision))
      return {
        to: 'verifying',
        kind: 'target-reached',
        message: `Alembic revision moved ${state.baselineRevision ?? 'none'} → ${current.join(', ')}: the release's target`,
      };
    const moved = current.length > 0 && !current.includes(state.baselineRevision ?? '');
    if (moved && phase !== 'migrating')
      return {
        to: 'migrating',
        kind: 'migration-seen',
        message: `Alembic revision moved ${state.baselineRevision ?? 'none'} → ${current.join(', ')}: the migration has started`,
      };
  }
  if (phase === 'preparing' && state.snapshotAvailable)
    return { to: 'ready', kind: 'snapshot-available', message: 'The pre-migration snapshot is available' };
  if (phase === 'ready' && !state.hasMigrations && state.aliasesMoved.length > 0)
    return {
      to: 'verifying',
      kind: 'release-seen',
      message: `Released: ${state.aliasesMoved.join('; ')}`,
    };
  return null;
}
