/** The attack variants the generator can mix into a fleet. */
export const ATTACK_IDS = [
  'panix-network-manager',
  'known-script-new-writer',
  'extensionless-script',
  'usr-lib-script',
  'env-python-predates-lookback',
  'known-path-new-host',
  'space-suffixed-name',
  'decoy-flood',
  'dev-shm-writer',
  'exec-in-place',
  'rename-only-write',
] as const;

export type AttackId = (typeof ATTACK_IDS)[number];

/** A write to a dispatcher directory as the sensor recorded it. */
export interface GroundTruthWrite {
  readonly path: string;
  readonly writer: string;
  readonly action: 'creation' | 'modification' | 'rename';
  /** Renames carry neither (Elastic Defend records the original path instead). */
  readonly hasHash: boolean;
  readonly hasCommandLine: boolean;
  readonly originalPath?: string;
}

/** A process the script starts (or becomes, for `exec`), with the parent the sensor reports. */
export interface GroundTruthChild {
  readonly executable: string;
  readonly commandLine: string;
  readonly args: readonly string[];
  /** What `process.parent.executable` says: the script, its interpreter, or nm-dispatcher after an exec in place. */
  readonly reportedParentExecutable: string;
}

/** What a replay checks: the attack must be alerted once, on its night, with these values. */
export interface AttackManifestEntry {
  readonly id: AttackId;
  readonly description: string;
  /** Day index of the attack's first event (the night whose run must alert it). */
  readonly night: number;
  readonly firstEventAt: string;
  readonly host: { readonly name: string; readonly agentId: string; readonly shape: 'script' | 'interpreter' };
  /** The dispatcher script the attack plants or changes: the identity a correct alert names. */
  readonly script: string;
  readonly shebang: string;
  readonly writes: readonly GroundTruthWrite[];
  readonly children: readonly GroundTruthChild[];
  readonly severity: 'high' | 'medium';
  /** Why it is bad, in a few words: "reverse shell", "download of a payload"… */
  readonly indicator: string;
  /** Rows an attacker adds to push the real finding past the row limit. */
  readonly decoys?: { readonly writes: number; readonly children: number; readonly writer: string; readonly childExecutable: string };
  /** Facts a replay should know (the write predates the lookback, the payload replaced the script…). */
  readonly notes: readonly string[];
}
