import { formatPlanSummary, PlanJson, summarizePlan } from '../../../scripts/offline-plan/plan-summary';

const change = (type: string, actions: string[], mode = 'managed') => ({ address: `${type}.x`, mode, type, change: { actions } });

describe('plan summary', () => {
  const plan: PlanJson = {
    resource_changes: [
      change('aws_sqs_queue', ['create']),
      change('aws_sqs_queue', ['create']),
      change('aws_iam_role', ['update']),
      change('aws_lambda_function', ['delete', 'create']),
      change('aws_sns_topic', ['delete']),
      change('aws_s3_bucket', ['no-op']),
      change('aws_region', ['read'], 'data'),
    ],
  };

  it('counts like Terraform: a replacement is one create and one delete; no-ops are left out', () => {
    expect(summarizePlan(plan)).toEqual({
      create: 3,
      update: 1,
      delete: 2,
      replace: 1,
      dataReads: 1,
      types: [['aws_iam_role', 1], ['aws_lambda_function', 1], ['aws_sns_topic', 1], ['aws_sqs_queue', 2]],
    });
  });

  it('prints the totals, then one aligned line per type', () => {
    expect(formatPlanSummary(summarizePlan(plan))).toEqual([
      'Plan: 3 to create, 1 to update, 2 to delete (1 of them replacements), 1 data sources to read; 5 resources in 4 types:',
      '  aws_iam_role         1',
      '  aws_lambda_function  1',
      '  aws_sns_topic        1',
      '  aws_sqs_queue        2',
    ]);
  });

  it('handles a plan with no changes', () => {
    expect(formatPlanSummary(summarizePlan({}))).toEqual(['Plan: 0 to create, 0 to update, 0 to delete; 0 resources in 0 types:']);
  });
});
