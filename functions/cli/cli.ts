import { Command, CommanderError } from 'commander';
import { BaselineImportError, ConfigurationError, SecretFormatError, errorMessage } from '../core/errors';
import { escapeInvisible } from '../core/invisible-text';
import { CLI_PREFIX } from '../core/render/triage-command';
import { FolderInUseError } from '../local/folder-lock';
import { registerBaselineCommands } from './commands/baseline-commands';
import { registerDoctorCommand } from './commands/doctor-command';
import { registerRunCommand } from './commands/run-command';
import type { Output } from './terminal';
import { UsageError } from './usage-error';

export interface CliIo {
  readonly out: Output;
  readonly err: Output;
  readonly env: Record<string, string | undefined>;
  /** The terminal's width when stdout is one; absent for a pipe or a file, where nothing is cut to fit. */
  readonly columns?: number;
  /** Asks a person a question and returns the answer; absent when no terminal is attached (scripts, pipes). */
  readonly ask?: (question: string) => Promise<string>;
}

/** Exit codes: 0 done, 1 the run failed (or some items could not be changed), 2 usage or configuration error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** What every command gets: the terminal, the environment, and a way to set the exit code. */
export interface CommandContext {
  readonly io: CliIo;
  setExit(code: number): void;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram({ io, setExit: (code) => (exitCode = code) });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const usage = error instanceof UsageError || error instanceof ConfigurationError || error instanceof SecretFormatError || error instanceof BaselineImportError || error instanceof FolderInUseError;
    io.err.write(`error: ${escapeInvisible(errorMessage(error))}\n`);
    if (error instanceof UsageError) for (const line of error.details) io.err.write(`  ${escapeInvisible(line)}\n`);
    return usage ? EXIT.usage : EXIT.failed;
  }
}

function buildProgram(context: CommandContext): Command {
  const { io } = context;
  // Usage lines name the command as it is run: from the checkout, through the project's own npm script.
  const program = new Command(CLI_PREFIX)
    .description('Hunt malicious NetworkManager dispatcher scripts (MITRE ATT&CK T1546) and triage the baseline of known findings.')
    .addHelpText(
      'after',
      '\nExit codes: 0 done, 1 run failed, 2 usage or configuration error.\n' +
        'Environment: BASELINE_TABLE_NAME, AWS_REGION, ALERT_TOPIC_ARN, ES_SECRET_ID, HUNT_CONFIG, KIBANA_URL, AWS_ENDPOINT_URL_DYNAMODB.\n' +
        'Local mode: --local <folder> (the demo\'s baseline: demo-baseline) or --endpoint <url> on every command that reads the baseline.',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .showHelpAfterError();
  registerDoctorCommand(program, context);
  registerRunCommand(program, context);
  registerBaselineCommands(program, context);
  return program;
}
