// Validates the `checks:` section of the config against each check's own strict options schema.
import type { Config, ConfigIssue } from '@finops/core';
import { z } from 'zod';
import type { AnyCheck } from './check.js';
import { describeSchema, describeValue, schemaAtPath, valueAtPath } from './describe-schema.js';
import { CHECKS } from './registry.js';

/**
 * Issues in `checks:`, each with the YAML path (`checks.<id>.<field>`) and a message such as
 * `expected number ≥ 0, got "ten"`. `source` is left empty for the caller, who knows which file it read.
 * @example validateChecksConfig({ 'ec2-idle-instance': { maxCpuP99Percent: 'ten' } })
 */
export function validateChecksConfig(checks: Config['checks'], registry: readonly AnyCheck[] = CHECKS): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const knownIds = registry.map((check) => check.id).join(', ');
  for (const [id, entry] of Object.entries(checks)) {
    const check = registry.find((candidate) => candidate.id === id);
    if (!check) {
      issues.push({ source: '', path: `checks.${id}`, message: `unknown check "${id}"; known checks: ${knownIds}` });
      continue;
    }
    issues.push(...validateEntry(check, entry));
  }
  return issues;
}

function validateEntry(check: AnyCheck, entry: unknown): ConfigIssue[] {
  const schema = z.strictObject({ enabled: z.boolean().optional() }).extend(check.options.shape);
  const result = schema.safeParse(entry);
  if (result.success) return [];
  const base = `checks.${check.id}`;
  const knownOptions = Object.keys(schema.shape).join(', ');
  return result.error.issues.flatMap((issue): ConfigIssue[] => {
    const at = (path: readonly PropertyKey[]) => [base, ...path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        source: '',
        path: at([...issue.path, key]),
        message: `unknown option; known options: ${knownOptions}`,
      }));
    }
    const fieldSchema = schemaAtPath(schema, issue.path);
    const message = fieldSchema
      ? `expected ${describeSchema(fieldSchema)}, got ${describeValue(valueAtPath(entry, issue.path))}`
      : issue.message;
    return [{ source: '', path: at(issue.path), message }];
  });
}
