// Activities: every side effect of a treatment, by concern. Each is idempotent: its keys come
// from the treatment and the event, so a retry or a replay never writes a second row or a second copy.
import { activityPlanActivities } from './activity-plans';
import { eventActivities } from './events';
import { gallringActivities } from './gallring';
import { nightlyActivities } from './nightly';
import { notificationActivities, notificationQueue } from './notifications';
import { readModelActivities } from './read-model';
import type { ActivityDeps } from './shared';

export type { ActivityDeps } from './shared';

export function createActivities(deps: ActivityDeps) {
  const queue = notificationQueue(deps);
  const events = eventActivities(queue);
  return {
    ...readModelActivities(deps),
    ...events,
    ...notificationActivities(deps),
    ...gallringActivities(deps),
    ...activityPlanActivities(queue, events.recordEvent),
    ...nightlyActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
