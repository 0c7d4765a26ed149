// Cost Explorer GetDimensionValues: the regions (or other dimension values) that have cost, as the cost plan lists them.
import { describe, expect, it } from 'vitest';
import { EstateServer } from './estate-server.js';
import { MANAGEMENT, MEMBER, simulationOptions } from './test-support.js';

const EPOCH = Date.UTC(2026, 10, 26);
const server = new EstateServer(simulationOptions(), ['us-east-1', 'eu-west-1'], EPOCH);

async function dimensionValues(input: Record<string, unknown>, accountId = MANAGEMENT) {
  const output = await server.serve({ accountId, region: 'us-east-1', clientName: 'CostExplorerClient', commandName: 'GetDimensionValuesCommand', input });
  return (output as unknown as { DimensionValues: { Value: string }[] }).DimensionValues.map((v) => v.Value);
}

describe('Cost Explorer GetDimensionValues', () => {
  const TimePeriod = { Start: '2026-11-01', End: '2026-11-26' };

  it('lists the values with cost, filtered like GetCostAndUsage', async () => {
    expect(await dimensionValues({ TimePeriod, Dimension: 'REGION' })).toEqual(['eu-west-1', 'us-east-1']);
    expect(await dimensionValues({ TimePeriod, Dimension: 'LINKED_ACCOUNT' })).toEqual([MANAGEMENT, MEMBER]);
    expect(await dimensionValues({ TimePeriod, Dimension: 'REGION', Filter: { Dimensions: { Key: 'REGION', Values: ['eu-west-1'] } } })).toEqual(['eu-west-1']);
    // A member account sees only itself.
    expect(await dimensionValues({ TimePeriod, Dimension: 'LINKED_ACCOUNT' }, MEMBER)).toEqual([MEMBER]);
  });

  it('refuses a dimension it does not simulate', async () => {
    await expect(dimensionValues({ TimePeriod, Dimension: 'INSTANCE_TYPE' })).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
