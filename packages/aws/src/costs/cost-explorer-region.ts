// Where Cost Explorer answers: one endpoint per partition, whatever region the scan runs in.

/** The region of a partition's Cost Explorer endpoint (`ce.us-east-1.amazonaws.com` for `aws`). */
export function costExplorerRegion(partition: string): string {
  switch (partition) {
    case 'aws-cn':
      return 'cn-northwest-1';
    case 'aws-us-gov':
      return 'us-gov-west-1';
    default:
      return 'us-east-1';
  }
}
