import type { Provenance } from './hunt-definition';

/** A process start as Elastic Defend records it on Linux (forks are the same image and are skipped). */
export const PROCESS_EXEC_EVENT = 'host.os.type == "linux" AND event.type == "start" AND event.action == "exec"';

/** Both process hunts come from the seed hunt's first query. */
export const SCRIPT_HUNT_PROVENANCE: Omit<Provenance, 'differences'> = {
  huntUuid: '8f3bf096-2f3b-4d38-9925-0eb120323da3',
  source: 'Elastic hunt "Persistence via NetworkManager Dispatcher Script", query 1',
};
