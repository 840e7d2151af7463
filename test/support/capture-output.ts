/** Captures everything written to stdout and stderr while `work` runs (Powertools writes logs and EMF there). */
export async function captureOutput<T>(work: () => Promise<T>): Promise<{ result?: T; error?: unknown; lines: string[] }> {
  const lines: string[] = [];
  const original = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const capture = (chunk: unknown) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  try {
    return { result: await work(), lines };
  } catch (error) {
    return { error, lines };
  } finally {
    process.stdout.write = original.out;
    process.stderr.write = original.err;
  }
}
