// Lambda ListTags: the tags ListFunctions leaves out, by function ARN.
import { ListFunctionsCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { createSimulatedAws } from './create-simulated-aws.js';
import { errorOf, MANAGEMENT, sdkClients, simulationOptions } from './test-support.js';

const REGION = 'eu-west-1';

describe('simulated Lambda tags', () => {
  it('answers Lambda ListTags by function ARN, and ResourceNotFoundException for an unknown one', async () => {
    const sim = createSimulatedAws(simulationOptions(), [REGION]);
    const { lambda } = sdkClients(sim, MANAGEMENT, REGION);
    const fn = (await lambda.send(new ListFunctionsCommand({}))).Functions?.[0];
    const tags = await lambda.send(new ListTagsCommand({ Resource: fn?.FunctionArn }));
    expect(tags.Tags).toMatchObject({ Name: fn?.FunctionName, team: expect.any(String) });
    const missing = await errorOf(() => lambda.send(new ListTagsCommand({ Resource: `arn:aws:lambda:${REGION}:${MANAGEMENT}:function:no-such-function` })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
  });
});
