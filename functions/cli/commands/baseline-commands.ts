import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { BASELINE_STATUSES, MAX_APPROVER_CHARS, MAX_NOTE_CHARS, type ApprovalScope, type BaselineEntry, type BaselineStatus } from '../../core/baseline';
import { entryToJsonLine, exportHeaderLine, parseBaselineExport } from '../../core/baseline-jsonl';
import { errorMessage } from '../../core/errors';
import { ACCEPTED_HUNT_IDS, huntsNamed } from '../../core/hunts';
import { inertJson, stringifyInert } from '../../core/invisible-text';
import { inertText } from '../../core/render/inert-text';
import { DEFAULT_LOCAL_TABLE, connectDynamoDb, listTables, openBaselineTarget, userPath, withBaselineTarget, type BaselineTarget, type BaselineTargetOptions } from '../baseline-target';
import { EXIT, type CommandContext } from '../cli';
import { entryDetails } from '../entry-details';
import { statusSummary, writeInBatches } from '../import-baseline';
import { entriesTable } from '../entries-table';
import { entriesList } from '../terminal';
import { NotFoundError, UsageError } from '../usage-error';

export function registerBaselineCommands(program: Command, context: CommandContext): void {
  const { io, setExit } = context;
  const baseline = program.command('baseline').description('inspect and triage the baseline of known findings');
  /** Runs `action` on the baseline the options name, and closes it (a local folder is released) whatever happens. */
  const onBaseline = async (opts: BaselineTargetOptions, command: string, action: (target: BaselineTarget) => Promise<void>) => {
    const target = await openBaselineTarget(opts, io.env, `npm run hunt -- baseline ${command}`);
    try {
      await action(target);
    } finally {
      await target.close();
    }
  };

  withBaselineTarget(baseline.command('list').description('list baseline entries, newest sighting first'))
    .addOption(new Option('--status <status>', 'only entries with this status').choices(BASELINE_STATUSES as string[]))
    .addOption(new Option('--hunt <id>', 'only entries of this hunt (an earlier id lists the hunts it was split into)').choices([...ACCEPTED_HUNT_IDS]))
    .option('--host <name>', 'only entries reported by this host (among the up to 10 host names each entry keeps)')
    .option('--since <when>', 'only entries seen since then: a date (2026-11-20), a UTC time (2026-11-20T08:00:00Z) or an age (36h, 7d)')
    .option('--json', 'print a JSON array for scripts (every field, exact values)')
    .action(async (opts: BaselineTargetOptions & { status?: BaselineStatus; hunt?: string; host?: string; since?: string; json?: boolean }) => {
      const since = opts.since === undefined ? undefined : parseSince(opts.since, new Date());
      const host = opts.host?.toLowerCase();
      await onBaseline(opts, 'list', async ({ store }) => {
        const entries: BaselineEntry[] = [];
        const listed = async function* () {
          for (const huntId of opts.hunt ? huntsNamed(opts.hunt).map((h) => h.id) : [undefined]) yield* store.list({ ...(opts.status ? { status: opts.status } : {}), ...(huntId ? { huntId } : {}) });
        };
        for await (const entry of listed()) {
          if (host !== undefined && !entry.hostNames.some((h) => h.toLowerCase() === host)) continue;
          if (since !== undefined && (entry.lastSeen === null || entry.lastSeen < since)) continue;
          entries.push(entry);
        }
        entries.sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '') || a.fingerprint.localeCompare(b.fingerprint));
        io.out.write(opts.json ? `${stringifyInert(entries.map((e) => JSON.parse(entryToJsonLine(e)) as unknown), 2)}\n` : entriesTable(entries, io.columns !== undefined ? { columns: io.columns } : {}));
        io.err.write(`${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}\n`);
      });
    });

  withBaselineTarget(baseline.command('show').description('everything the baseline holds about entries: identity, hosts, why new, approval, the osquery query'))
    .argument('<fingerprint...>', 'fingerprints, or unique prefixes of at least 8 characters')
    .option('--json', 'print a JSON array for scripts (exact values, invisible code points as \\u escapes)')
    .action(async (inputs: string[], opts: BaselineTargetOptions & { json?: boolean }) =>
      onBaseline(opts, 'show', async (target) => {
        const found = await existingEntries(target, inputs, io.err);
        io.out.write(opts.json ? `${stringifyInert(found.map((e) => JSON.parse(entryToJsonLine(e)) as unknown), 2)}\n` : found.map(entryDetails).join('\n'));
        setExit(found.length < inputs.length ? EXIT.failed : EXIT.ok);
      }),
    );

  withBaselineTarget(baseline.command('approve').description('mark findings as benign: they are never alerted'))
    .argument('<fingerprint...>', 'fingerprints, or unique prefixes of at least 8 characters')
    .requiredOption('--note <text>', 'why the finding is benign')
    .requiredOption('--by <name>', 'who approves it')
    .option('--fleet-wide', 'approve it on every host, not only on the agents that have reported it so far')
    .option('--yes', 'do not ask for confirmation (for scripts); what is approved is still printed')
    .action(async (inputs: string[], opts: BaselineTargetOptions & { note: string; by: string; fleetWide?: boolean; yes?: boolean }) => {
      if (opts.note.length > MAX_NOTE_CHARS || opts.by.length > MAX_APPROVER_CHARS) throw new UsageError(`--note is limited to ${MAX_NOTE_CHARS} characters and --by to ${MAX_APPROVER_CHARS}`);
      if (opts.note.trim() === '' || opts.by.trim() === '') throw new UsageError('--note and --by must say something: the approval is kept with the entry');
      await onBaseline(opts, 'approve', async (target) => {
        const found = await existingEntries(target, inputs, io.err);
        if (found.length === 0) return setExit(EXIT.failed);
        const scope = opts.fleetWide ? 'on every host (fleet-wide)' : 'on the agents that have reported it';
        io.err.write(`Approving as benign ${scope}, by ${JSON.stringify(opts.by)} with note ${JSON.stringify(opts.note)}; never alerted again:\n${entriesList(found, { status: true })}`);
        if (!opts.yes && io.ask) {
          const answer = await io.ask(`Approve ${found.length === 1 ? 'this entry' : `these ${found.length} entries`}? [y/N] `);
          if (!/^y(es)?$/i.test(answer.trim())) {
            io.err.write('nothing approved\n');
            return setExit(EXIT.failed);
          }
        }
        let missing = found.length < inputs.length ? inputs.length - found.length : 0;
        for (const entry of found) {
          const approved = await target.store.approve(entry.fingerprint, opts.note, opts.by, new Date(), { fleetWide: opts.fleetWide === true });
          const [newest] = approved?.approvals ?? [];
          if (approved && newest) io.err.write(`  ${entry.fingerprint.slice(0, 12)}: scope ${scopeText(newest.scope)}; ${approved.approvals!.length} approval(s) in its history, newest first\n`);
          if (approved) io.out.write(`approved ${entry.fingerprint}\n`);
          else {
            missing++;
            io.err.write(`not found (forgotten meanwhile): ${entry.fingerprint}\n`);
          }
        }
        setExit(missing > 0 ? EXIT.failed : EXIT.ok);
      });
    });

  withBaselineTarget(baseline.command('forget').description('delete entries: a finding seen again is new and alerted'))
    .argument('<fingerprint...>', 'fingerprints, or unique prefixes of at least 8 characters')
    .action(async (inputs: string[], opts: BaselineTargetOptions) =>
      onBaseline(opts, 'forget', async (target) => {
        let missing = 0;
        for (const fingerprint of await resolveFingerprints(target, inputs)) {
          if (await target.store.forget(fingerprint)) io.out.write(`forgot ${fingerprint}\n`);
          else {
            missing++;
            io.err.write(`not found in ${target.description}: ${fingerprint}\n`);
          }
        }
        setExit(missing > 0 ? EXIT.failed : EXIT.ok);
      }),
    );

  withBaselineTarget(baseline.command('export').description('write every entry as JSON Lines'))
    .argument('[file]', 'output file (default: stdout)')
    .action(async (file: string | undefined, opts: BaselineTargetOptions) =>
      onBaseline(opts, 'export', async ({ store }) => {
        // First line: which hunts had finished learning, so that an import ends learning only where the table had.
        const lines: string[] = [exportHeaderLine(await store.initialisedHunts(), new Date())];
        for await (const entry of store.list()) {
          lines.push(inertJson(entryToJsonLine(entry))); // the same values, with no invisible code point in the raw text
          if (lines.length % 1_000 === 0) io.err.write(`exported ${lines.length - 1} entries…\n`);
        }
        const text = `${lines.join('\n')}\n`;
        if (file) writeFileSync(userPath(file, io.env), text);
        else io.out.write(text);
        io.err.write(`exported ${lines.length - 1} entries\n`);
      }),
    );

  withBaselineTarget(baseline.command('import').description('add or replace entries from a JSON Lines export; checks every line (fingerprints recomputed) before writing any'))
    .argument('<file>', 'JSON Lines file from baseline export')
    .option('--allow-approved', 'import the file\'s approved entries (never alerted): trust its approvals')
    .option('--allow-cut-identities', 'accept entries whose identity was stored cut at 4,096 characters (their fingerprint cannot be checked)')
    .action(async (file: string, opts: BaselineTargetOptions & { allowApproved?: boolean; allowCutIdentities?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(userPath(file, io.env), 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read ${file}: ${errorMessage(error)}`);
      }
      const parsed = parseBaselineExport(text, { allowCutIdentities: opts.allowCutIdentities === true });
      const { entries, learningComplete } = parsed;
      io.err.write(`${statusSummary(entries)}\n`);
      const approved = entries.filter((e) => e.status === 'approved').length;
      if (approved > 0 && !opts.allowApproved) {
        throw new UsageError(`the file approves ${approved} entr${approved === 1 ? 'y' : 'ies'}: pass --allow-approved to import approvals from this file. Nothing was imported.`);
      }
      if (parsed.cutIdentities.length > 0) io.err.write(`accepted ${parsed.cutIdentities.length} entries whose identity was cut (fingerprint not checked), on lines ${parsed.cutIdentities.slice(0, 20).join(', ')}${parsed.cutIdentities.length > 20 ? ', …' : ''}\n`);
      await onBaseline(opts, 'import', async ({ store }) => {
        await writeInBatches(store, parsed, (written) => {
          if (written % 1_000 === 0) io.err.write(`imported ${written} of ${entries.length}…\n`);
        });
        // Learning ends only where the exported table's had: entries alone do not say the hunt's answer was complete.
        if (learningComplete === undefined) io.err.write('the file does not say whether learning was complete (an export from an earlier release): hunts still learning keep learning\n');
        else if (learningComplete.length > 0) {
          await store.markInitialised(learningComplete);
          io.err.write(`learning complete, as in the exported table: ${learningComplete.join(', ')}\n`);
        }
        io.out.write(`imported ${entries.length} entries\n`);
      });
    });

  withBaselineTarget(baseline.command('init').description('local mode: create an empty baseline table (in AWS, the stack creates it)'))
    .action(async (opts: BaselineTargetOptions) => {
      if (opts.local === undefined && opts.endpoint === undefined) {
        throw new UsageError('baseline init creates a table in local mode only (--local <folder> or --endpoint <url>): in AWS the stack creates the table, with point-in-time recovery and deletion protection');
      }
      const tableName = opts.table ?? DEFAULT_LOCAL_TABLE;
      const connection = await connectDynamoDb(opts, io.env, 'npm run hunt -- baseline init');
      try {
        if ((await listTables(connection)).includes(tableName)) {
          io.out.write(`table "${tableName}" already exists in ${connection.where}: nothing to do\n`);
          return;
        }
        const { createBaselineTable, waitUntilActive } = await import('../../adapters/baseline-table');
        await createBaselineTable(connection.client, tableName);
        await waitUntilActive(connection.client, tableName);
        io.out.write(`created table "${tableName}" in ${connection.where}\n`);
      } finally {
        await connection.close();
      }
    });
}

/** --since as an ISO time: a date, a UTC time, or an age before `now` (36h, 7d). */
export function parseSince(text: string, now: Date): string {
  const age = /^(\d{1,4})([hd])$/.exec(text);
  if (age) return new Date(now.getTime() - Number(age[1]) * (age[2] === 'h' ? 3_600_000 : 86_400_000)).toISOString();
  if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/.test(text) && !Number.isNaN(Date.parse(text))) return new Date(Date.parse(text)).toISOString();
  throw new UsageError(`--since ${JSON.stringify(text.slice(0, 40))}: expected a date (2026-11-20), a UTC time (2026-11-20T08:00:00Z) or an age (36h, 7d)`);
}

function scopeText(scope: ApprovalScope): string {
  if (scope.kind === 'fleet') return 'fleet-wide';
  return scope.agentIds.length > 0 ? `the agents that had reported it (${scope.agentIds.map((id) => inertText(id, 80)).join(', ')})` : 'the agents that had reported it (none recorded)';
}

/** Entries for these fingerprints or prefixes; those not in the baseline are named on stderr. */
async function existingEntries(target: BaselineTarget, inputs: readonly string[], err: { write(text: string): void }): Promise<BaselineEntry[]> {
  const found: BaselineEntry[] = [];
  for (const fingerprint of await resolveFingerprints(target, inputs)) {
    const entry = await target.store.get(fingerprint);
    if (entry) found.push(entry);
    else err.write(`not found in ${target.description}: ${fingerprint}\n`);
  }
  return found;
}

/** Full fingerprints pass through; prefixes (8+ hex digits) must match exactly one entry. */
export async function resolveFingerprints(target: BaselineTarget, inputs: readonly string[]): Promise<string[]> {
  for (const input of inputs) {
    if (!/^[0-9a-f]{8,64}$/.test(input)) throw new UsageError(`"${input.slice(0, 80)}" is not a fingerprint (8 to 64 lowercase hex digits)`);
  }
  const prefixes = inputs.filter((i) => i.length < 64);
  if (prefixes.length === 0) return [...inputs];
  const all: string[] = [];
  for await (const entry of target.store.list()) all.push(entry.fingerprint);
  return inputs.map((input) => {
    if (input.length === 64) return input;
    const matches = all.filter((fp) => fp.startsWith(input));
    if (matches.length === 0) throw new NotFoundError(`prefix ${input} matches no entry in ${target.description}: check the fingerprint (baseline list shows them) and the table`);
    if (matches.length > 1) throw new UsageError(`prefix ${input} matches ${matches.length} entries in ${target.description}: give more characters`);
    return matches[0] as string;
  });
}
