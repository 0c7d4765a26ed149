// Queue depths by state for every queue, from BullMQ's own Prometheus export, merged into one valid exposition.
import type { Queue } from 'bullmq';

/**
 * Each queue's export repeats the `# HELP` and `# TYPE` lines; Prometheus rejects a metric declared twice, so
 * samples are grouped under one declaration per metric name.
 */
export function mergeExpositions(texts: readonly string[]): string {
  const declarations = new Map<string, string[]>();
  const samples = new Map<string, string[]>();
  for (const text of texts) {
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const declared = /^# (HELP|TYPE) (\S+)/.exec(line);
      if (declared) {
        const lines = declarations.get(declared[2]) ?? [];
        if (!lines.some((l) => l.startsWith(`# ${declared[1]} `))) lines.push(line);
        declarations.set(declared[2], lines);
        continue;
      }
      const name = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(line)?.[0];
      if (!name) continue;
      samples.set(name, [...(samples.get(name) ?? []), line]);
    }
  }
  const names = [...new Set([...declarations.keys(), ...samples.keys()])];
  return names.map((name) => [...(declarations.get(name) ?? []), ...(samples.get(name) ?? [])].join('\n')).join('\n') + '\n';
}

/** `bullmq_job_count{queue, state}` and the completed/failed totals of every queue, labelled with `prefix`. */
export async function queueMetricsText(queues: readonly Queue[], labels: Record<string, string> = {}): Promise<string> {
  const texts = await Promise.all(queues.map((queue) => queue.exportPrometheusMetrics(labels)));
  return mergeExpositions(texts);
}
