// What `finops pricing refresh` asks the AWS Price List for: the products the price table has slots for.

/** One pricing:GetProducts question: a service code and exact attribute matches (TERM_MATCH). */
export interface PriceListQuestion {
  serviceCode: string;
  filters: Record<string, string>;
}

/**
 * Per region: EC2 on-demand Linux instances on shared tenancy without pre-installed software (the `Used`
 * capacity status excludes reservation and dedicated-host rows), EBS volume storage (EBS is sold under
 * AmazonEC2, product family `Storage`), and RDS PostgreSQL Single-AZ instances; Lambda once, in the reference
 * region (the table applies its rate everywhere).
 */
export function priceListQueries(regions: readonly string[], referenceRegion: string): PriceListQuestion[] {
  const all = [...new Set([referenceRegion, ...regions])];
  return [
    ...all.flatMap((regionCode): PriceListQuestion[] => [
      {
        serviceCode: 'AmazonEC2',
        filters: {
          regionCode,
          productFamily: 'Compute Instance',
          operatingSystem: 'Linux',
          tenancy: 'Shared',
          preInstalledSw: 'NA',
          capacitystatus: 'Used',
        },
      },
      { serviceCode: 'AmazonEC2', filters: { regionCode, productFamily: 'Storage' } },
      {
        serviceCode: 'AmazonRDS',
        filters: { regionCode, productFamily: 'Database Instance', databaseEngine: 'PostgreSQL', deploymentOption: 'Single-AZ' },
      },
    ]),
    { serviceCode: 'AWSLambda', filters: { regionCode: referenceRegion } },
  ];
}
