// Action group and log search alert rules on Application Insights. Each rule's query is a saved file
// in infra/queries (alert-*.kql) and fires when the query returns any row.

@description('Azure region of the alert rules (the action group is global).')
param location string

@description('Tags applied to every resource.')
param tags { *: string }

@description('Resource id of the Application Insights component the rules query.')
param applicationInsightsId string

@description('Name of the action group.')
param actionGroupName string

@description('Prefix of the alert rule names.')
param rulePrefix string

@description('E-mail address notified by the action group; empty for none (the rules still fire in the portal).')
param alertEmail string

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'bat-alerts'
    enabled: true
    emailReceivers: empty(alertEmail)
      ? []
      : [
          {
            name: 'operator'
            emailAddress: alertEmail
            useCommonAlertSchema: true
          }
        ]
  }
}

resource jobFailures 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: '${rulePrefix}-job-consecutive-failures'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Timer job failed 3 times in a row'
    description: 'A timer job failed 3 consecutive runs (2 for the once-a-day jobs, whose third run is outside the 2-day look-back). See infra/queries/alert-job-consecutive-failures.kql.'
    severity: 1
    enabled: true
    scopes: [
      applicationInsightsId
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    // The streak needs history, not just the last window: look back as far as a log alert allows.
    overrideQueryTimeRange: 'P2D'
    criteria: {
      allOf: [
        {
          query: loadTextContent('../queries/alert-job-consecutive-failures.kql')
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            {
              name: 'Job'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

resource noSignal 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: '${rulePrefix}-no-signal'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'No trading signal for 60 minutes'
    description: 'No signal was recorded for 2 x the 30-minute GenerateSignal interval. See infra/queries/alert-no-signal.kql.'
    severity: 2
    enabled: true
    scopes: [
      applicationInsightsId
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    criteria: {
      allOf: [
        {
          query: loadTextContent('../queries/alert-no-signal.kql')
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

resource dailyLossHalt 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: '${rulePrefix}-daily-loss-halt'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Trading halted by the daily loss limit'
    description: 'A DAILY_LIMIT risk event was recorded: new entries are blocked until RollDailyStats (00:05 KST). See infra/queries/alert-daily-loss-halt.kql.'
    severity: 1
    enabled: true
    scopes: [
      applicationInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: loadTextContent('../queries/alert-daily-loss-halt.kql')
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    // One notification per halt: the overlapping windows would otherwise notify up to 3 times, and
    // refused entries keep adding DAILY_LIMIT events for the rest of the day.
    autoMitigate: false
    muteActionsDuration: 'PT12H'
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

@description('Resource id of the action group.')
output actionGroupId string = actionGroup.id
