// Operations workbook over Application Insights, built from the saved KQL files in infra/queries, and
// the same queries as a Log Analytics query pack so they also appear under Logs > Queries.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags { *: string }

@description('Resource id of the Application Insights component the queries run against.')
param applicationInsightsId string

@description('Name of the query pack.')
param queryPackName string

@description('Environment name, shown in the workbook title.')
param environmentName string

type savedQuery = {
  @description('Stable key, used for the item name and the saved query id.')
  key: string
  title: string
  description: string
  body: string
  visualization: 'table' | 'timechart' | 'barchart'
}

var queries savedQuery[] = [
  {
    key: 'job-latency-percentiles'
    title: 'Job latency p50 / p95 / p99 (ms)'
    description: 'Runs and duration percentiles per timer job (requests).'
    body: loadTextContent('../queries/job-latency-percentiles.kql')
    visualization: 'table'
  }
  {
    key: 'job-latency-trend'
    title: 'Job latency p95 per hour (ms)'
    description: 'Hourly p95 duration per timer job (requests).'
    body: loadTextContent('../queries/job-latency-trend.kql')
    visualization: 'timechart'
  }
  {
    key: 'job-success-rate'
    title: 'Job success rate'
    description: 'Succeeded / failed runs and success rate per timer job (bat.job.runs).'
    body: loadTextContent('../queries/job-success-rate.kql')
    visualization: 'table'
  }
  {
    key: 'ai-tokens-cost-per-day'
    title: 'AI tokens and estimated cost per day'
    description: 'Input / output / thinking tokens and estimated USD cost per day and model (bat.ai.tokens, bat.ai.cost_usd).'
    body: loadTextContent('../queries/ai-tokens-cost-per-day.kql')
    visualization: 'table'
  }
  {
    key: 'order-outcomes'
    title: 'Order outcomes per day'
    description: 'Orders by side and final outcome per day (bat.orders).'
    body: loadTextContent('../queries/order-outcomes.kql')
    visualization: 'table'
  }
  {
    key: 'signals-per-day'
    title: 'Signals per day'
    description: 'BUY / SELL / HOLD signals per day and provider (bat.signals).'
    body: loadTextContent('../queries/signals-per-day.kql')
    visualization: 'table'
  }
  {
    key: 'risk-events'
    title: 'Risk events per day'
    description: 'Risk events per day and type (bat.risk.events).'
    body: loadTextContent('../queries/risk-events.kql')
    visualization: 'table'
  }
  {
    key: 'exchange-latency'
    title: 'Upbit request latency'
    description: 'Requests, average and maximum latency per Upbit endpoint and status (bat.exchange.request.duration).'
    body: loadTextContent('../queries/exchange-latency.kql')
    visualization: 'table'
  }
  {
    key: 'cache-hit-rate'
    title: 'Cache hit rate'
    description: 'Hits, misses and hit rate per cache (bat.cache.requests).'
    body: loadTextContent('../queries/cache-hit-rate.kql')
    visualization: 'table'
  }
]

var timeRangeParameter = {
  type: 9
  name: 'parameters'
  content: {
    version: 'KqlParameterItem/1.0'
    style: 'pills'
    parameters: [
      {
        id: guid('bitcoin-auto-trading-workbook', 'TimeRange')
        version: 'KqlParameterItem/1.0'
        name: 'TimeRange'
        label: 'Time range'
        type: 4
        isRequired: true
        value: {
          durationMs: 604800000
        }
        typeSettings: {
          selectableValues: [
            {
              durationMs: 3600000
            }
            {
              durationMs: 86400000
            }
            {
              durationMs: 604800000
            }
            {
              durationMs: 2592000000
            }
          ]
        }
      }
    ]
  }
}

var header = {
  type: 1
  name: 'header'
  content: {
    json: '## Bitcoin auto trading (${environmentName})\nJob latency and success, AI usage and cost, orders, signals, risk events, Upbit latency and caches. Days are UTC days. The queries are the files in `infra/queries`.'
  }
}

var queryItems = [
  for query in queries: {
    type: 3
    name: query.key
    content: {
      version: 'KqlItem/1.0'
      title: query.title
      query: query.body
      size: 0
      queryType: 0
      resourceType: 'microsoft.insights/components'
      crossComponentResources: [
        applicationInsightsId
      ]
      timeContextFromParameter: 'TimeRange'
      timeContext: {
        durationMs: 604800000
      }
      visualization: query.visualization
    }
  }
]

var workbookContent = {
  version: 'Notebook/1.0'
  items: concat([header, timeRangeParameter], queryItems)
  fallbackResourceIds: [
    applicationInsightsId
  ]
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, 'bitcoin-auto-trading-operations')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Bitcoin auto trading operations (${environmentName})'
    category: 'workbook'
    sourceId: applicationInsightsId
    serializedData: string(workbookContent)
    version: 'Notebook/1.0'
  }
}

resource queryPack 'Microsoft.OperationalInsights/queryPacks@2026-03-01' = {
  name: queryPackName
  location: location
  tags: tags
  properties: {}
}

resource packQueries 'Microsoft.OperationalInsights/queryPacks/queries@2026-03-01' = [
  for query in queries: {
    parent: queryPack
    name: guid(resourceGroup().id, queryPackName, query.key)
    properties: {
      displayName: query.title
      description: query.description
      body: query.body
      related: {
        categories: [
          'applications'
        ]
        resourceTypes: [
          'microsoft.insights/components'
        ]
      }
      tags: {
        labels: [
          'bitcoin-auto-trading'
        ]
      }
    }
  }
]

@description('Resource id of the workbook.')
output workbookId string = workbook.id
