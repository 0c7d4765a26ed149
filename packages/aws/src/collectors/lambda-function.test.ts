// Lambda discovery from recorded ListFunctions pages, with tags from ListTags.
import {
  LambdaClient,
  ListFunctionsCommand,
  ListTagsCommand,
  type ListFunctionsCommandInput,
  type ListTagsCommandInput,
} from '@aws-sdk/client-lambda';
import type { LambdaFunction, Resource } from '@finops/core';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from '../__fixtures__/fixtures.js';
import { mockedAccess, recordingLogger, SCOPE } from '../__fixtures__/test-access.js';

const lambda = mockClient(LambdaClient);
afterEach(() => lambda.reset());

function answerListFunctions(): ListFunctionsCommandInput[] {
  const inputs: ListFunctionsCommandInput[] = [];
  lambda.on(ListFunctionsCommand).callsFake((input: ListFunctionsCommandInput) => {
    inputs.push({ ...input });
    return fixture(input.Marker ? 'lambda.ListFunctions_2' : 'lambda.ListFunctions_1');
  });
  return inputs;
}

describe('lambda-function collector', () => {
  it('pages with MaxItems 50, reads each function’s tags and normalizes', async () => {
    const inputs = answerListFunctions();
    lambda.on(ListTagsCommand).callsFake((input: ListTagsCommandInput) => ({
      Tags: input.Resource?.endsWith(':resize-images') ? { team: 'media', Name: 'Image resizer' } : {},
    }));
    const { access } = mockedAccess();
    const functions = (await access.discover('lambda-function', SCOPE)) as LambdaFunction[];

    expect(inputs).toEqual([
      expect.objectContaining({ MaxItems: 50, Marker: undefined }),
      expect.objectContaining({ MaxItems: 50, Marker: 'bGVnYWN5LWNyb24=' }),
    ]);
    expect(lambda.commandCalls(ListTagsCommand)).toHaveLength(3);
    expect(functions.map((fn) => fn.id)).toEqual(['resize-images', 'legacy-cron', 'nightly-report']);
    expect(functions[0]).toMatchObject({
      arn: 'arn:aws:lambda:eu-west-1:111111111111:function:resize-images',
      name: 'Image resizer',
      tags: { team: 'media', Name: 'Image resizer' },
      memoryMb: 1024,
      architecture: 'arm64',
      runtime: 'nodejs20.x',
      timeoutSec: 30,
      lastModified: '2024-02-03T04:05:06.000Z',
      packageType: 'Zip',
    });
    // Lambda's own defaults stand in for what a function does not state.
    expect(functions[1]).toMatchObject({ name: 'legacy-cron', memoryMb: 128, timeoutSec: 3, architecture: 'x86_64', packageType: 'Image' });
    expect(functions[2]).toMatchObject({ memoryMb: 3008, timeoutSec: 900, architecture: 'x86_64', runtime: 'python3.12' });
    access.close();
  });

  it('still lists functions, untagged and with one warning, when ListTags is refused', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `fn-${i}`);
    lambda.on(ListFunctionsCommand).resolves({
      Functions: names.map((name) => ({ FunctionName: name, FunctionArn: `arn:aws:lambda:eu-west-1:111111111111:function:${name}` })),
    });
    lambda.on(ListTagsCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const logger = recordingLogger();
    const { access } = mockedAccess({ logger });
    const functions = (await access.discover('lambda-function', SCOPE)) as LambdaFunction[];

    expect(functions).toHaveLength(40);
    expect(functions.every((fn) => Object.keys(fn.tags).length === 0)).toBe(true);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]?.obj).toMatchObject({ code: 'AccessDeniedException', hint: expect.stringContaining('lambda:ListTags') });
    // After the refusal no further ListTags calls are spent: only the 8 already in flight were made.
    expect(lambda.commandCalls(ListTagsCommand).length).toBeLessThanOrEqual(8);
    access.close();
  });

  it('hands over the listing, untagged, once every page is read and before the tags come back, reading each page\'s tags while the next page is asked for', async () => {
    const events: string[] = [];
    lambda.on(ListFunctionsCommand).callsFake((input: ListFunctionsCommandInput) => {
      events.push(`page ${input.Marker ?? 1}`);
      return fixture(input.Marker ? 'lambda.ListFunctions_2' : 'lambda.ListFunctions_1');
    });
    lambda.on(ListTagsCommand).callsFake(async (input: ListTagsCommandInput) => {
      events.push(`tags ${input.Resource?.split(':').pop()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push(`tagged ${input.Resource?.split(':').pop()}`);
      return { Tags: { team: 'media' } };
    });
    const { access } = mockedAccess();
    let listed: readonly Resource[] = [];
    const functions = await access.discover('lambda-function', SCOPE, {
      onListed: async (resources) => {
        listed = resources;
        events.push('listed');
      },
    });
    // The first page's tags were asked for before the second page.
    expect(events.indexOf('tags resize-images')).toBeLessThan(events.indexOf('page bGVnYWN5LWNyb24='));
    // Handed over once, after the last page and before the last page's tags came back.
    expect(events.filter((e) => e === 'listed')).toHaveLength(1);
    expect(events.indexOf('listed')).toBeGreaterThan(events.indexOf('page bGVnYWN5LWNyb24='));
    expect(events.indexOf('listed')).toBeLessThan(events.indexOf('tagged nightly-report'));
    expect(listed.map((r) => [r.id, r.tags])).toEqual([
      ['resize-images', {}],
      ['legacy-cron', {}],
      ['nightly-report', {}],
    ]);
    expect(functions.map((r) => [r.id, r.tags])).toEqual(listed.map((r) => [r.id, { team: 'media' }]));
    access.close();
  });

  it('fails with the listing\'s error when a later page is refused, reading no tags for what is not listed', async () => {
    lambda.on(ListFunctionsCommand).callsFake((input: ListFunctionsCommandInput) => {
      if (input.Marker) throw Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
      return fixture('lambda.ListFunctions_1');
    });
    lambda.on(ListTagsCommand).resolves({ Tags: {} });
    const { access } = mockedAccess();
    await expect(access.discover('lambda-function', SCOPE)).rejects.toMatchObject({ code: 'AccessDeniedException', hint: expect.stringContaining('lambda:ListFunctions') });
    // Only the first page's functions were ever asked about.
    const asked = lambda.commandCalls(ListTagsCommand).map((call) => call.args[0].input.Resource?.split(':').pop());
    expect(asked.every((name) => name === 'resize-images' || name === 'legacy-cron')).toBe(true);
    access.close();
  });

  it('fails when what the listing was handed to fails', async () => {
    answerListFunctions();
    lambda.on(ListTagsCommand).resolves({ Tags: {} });
    const { access } = mockedAccess();
    await expect(access.discover('lambda-function', SCOPE, { onListed: async () => Promise.reject(new Error('redis down')) })).rejects.toThrow('redis down');
    access.close();
  });
});
