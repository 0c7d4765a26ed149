// The simulated accounts as one organization (ListAccounts), roles into member accounts, and the enabled regions.
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListAccountsCommand, paginateListAccounts, type Account } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { createSimulatedAws } from './create-simulated-aws.js';
import { errorOf, MANAGEMENT, MEMBER, sdkClients, simulationOptions } from './test-support.js';

const REGION = 'eu-west-1';

describe('simulated organization, roles and regions', () => {
  it('lists every simulated account as ACTIVE and one suspended account, across pages', async () => {
    const accounts = [MANAGEMENT, MEMBER, '333333333333', '444444444444'];
    const sim = createSimulatedAws(simulationOptions({ accounts }), [REGION]);
    const { organizations } = sdkClients(sim, MANAGEMENT, REGION);
    const listed: Account[] = [];
    let pages = 0;
    for await (const page of paginateListAccounts({ client: organizations, pageSize: 1 }, {})) {
      pages += 1;
      listed.push(...(page.Accounts ?? []));
    }
    expect(listed.filter((a) => a.State === 'ACTIVE').map((a) => a.Id)).toEqual(accounts);
    const suspended = listed.filter((a) => a.State !== 'ACTIVE');
    expect(suspended).toEqual([expect.objectContaining({ State: 'SUSPENDED', Status: 'SUSPENDED', Id: expect.stringMatching(/^\d{12}$/) })]);
    // One account a page, and now and then an empty page that still carries a token.
    expect(pages).toBeGreaterThanOrEqual(listed.length);
    expect((await errorOf(() => organizations.send(new ListAccountsCommand({ MaxResults: 21 })))).name).toBe('InvalidInputException');
  });

  it('answers ListAccounts to the management account only', async () => {
    const sim = createSimulatedAws(simulationOptions(), [REGION]);
    const { organizations } = sdkClients(sim, MEMBER, REGION);
    const error = await errorOf(() => organizations.send(new ListAccountsCommand({})));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toContain(MANAGEMENT);
  });

  it('denies organizations and elasticloadbalancing actions by their IAM names', async () => {
    const sim = createSimulatedAws(
      simulationOptions({ denied: [{ action: 'organizations:ListAccounts' }, { action: 'elasticloadbalancing:DescribeTargetHealth' }] }),
      [REGION],
    );
    const { organizations, elbv2 } = sdkClients(sim, MANAGEMENT, REGION);
    expect((await errorOf(() => organizations.send(new ListAccountsCommand({})))).name).toBe('AccessDeniedException');
    const denied = await errorOf(() => elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/x/0123456789abcdef' })));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.message).toContain('elasticloadbalancing:DescribeTargetHealth');
    expect(sim.stats().denied).toBe(2);
  });

  it('assumes roles into simulated accounts only, and lists enabled regions as opt-in-not-required', async () => {
    const sim = createSimulatedAws(simulationOptions(), [REGION, 'us-east-1']);
    const { sts, ec2 } = sdkClients(sim, MANAGEMENT, REGION);
    const role = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/FinOpsReadOnly`, RoleSessionName: 'finops-scan', ExternalId: 'x' }));
    expect(role.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect((await errorOf(() => sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::999999999999:role/FinOpsReadOnly', RoleSessionName: 'finops-scan' })))).name).toBe('AccessDenied');
    const regions = (await ec2.send(new DescribeRegionsCommand({ AllRegions: true }))).Regions ?? [];
    expect(regions.filter((r) => r.OptInStatus !== 'not-opted-in').map((r) => r.RegionName).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(regions.length).toBeGreaterThan(2);
  });
});
