// Organizations ListAccounts: the simulated accounts as one organization, answered to its management account only.
import { serviceError } from '../aws-error.js';
import type { OperationHandler } from '../call-context.js';
import { DAY_MS } from '../clock.js';
import { InputReader } from '../input-reader.js';
import { paginate } from '../paging.js';
import { hashString, Rng } from '../prng.js';

/**
 * The first simulated account is the management account. Besides the simulated accounts the organization holds one
 * suspended account, which has no estate: a scan that does not filter on `State: ACTIVE` fails to enter it.
 */
const listAccounts: OperationHandler = (call) => {
  const reader = new InputReader(call);
  const { accounts, seed, epochMs } = call.estate;
  const management = accounts[0];
  if (call.accountId !== management) {
    throw serviceError(
      'AccessDeniedException',
      `You don't have permissions to access this resource. (ListAccounts is answered to the management account ${management} or a delegated administrator only)`,
      call.requestId,
      400,
    );
  }
  const rng = new Rng(`${seed}|organization`);
  const organizationId = `o-${rng.hex(10)}`;
  const suspended = String(100_000_000_000 + (hashString(`${seed}|suspended-account`) % 899_999_999_999));
  const rows = [
    ...accounts.map((id, index) => ({ id, state: 'ACTIVE', name: index === 0 ? 'management' : `workload-${index}` })),
    ...(accounts.includes(suspended) ? [] : [{ id: suspended, state: 'SUSPENDED', name: 'closed-sandbox' }]),
  ];
  const { page, nextToken } = paginate(call, reader, rows, {
    tokenField: 'NextToken',
    sizeField: 'MaxResults',
    range: { min: 1, max: 20 },
    defaultSize: 20,
    // Organizations may answer a page without accounts that still carries a NextToken.
    emptyPages: true,
  });
  return {
    Accounts: page.map((row) => ({
      Id: row.id,
      Arn: `arn:aws:organizations::${management}:account/${organizationId}/${row.id}`,
      Email: `aws+${row.name}@example.com`,
      Name: row.name,
      // `Status` is deprecated in favour of `State`; AWS still sends both.
      Status: row.state,
      State: row.state,
      JoinedMethod: row.id === management ? 'CREATED' : 'INVITED',
      JoinedTimestamp: new Date(epochMs - (400 + (hashString(row.id) % 900)) * DAY_MS),
    })),
    ...(nextToken ? { NextToken: nextToken } : {}),
  };
};

export const organizationsOperations: Record<string, OperationHandler> = {
  ListAccounts: listAccounts,
};
