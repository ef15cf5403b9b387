using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Calibration;
using Dapper;
using Npgsql;

namespace BitcoinAutoTrading.Infrastructure.Persistence;

/// <summary>Dapper repository over <c>trading_signals</c>.</summary>
public sealed class SignalRepository(NpgsqlDataSource dataSource) : ISignalRepository
{
    private const string Columns = """
        id AS Id, market AS Market, market_data_id AS MarketDataId, signal_type AS SignalType,
        action_score AS ActionScore, confidence AS Confidence, market_regime AS MarketRegime,
        reasoning::text AS ReasoningJson, provider AS Provider, model_name AS ModelName, is_fallback AS IsFallback,
        input_tokens AS InputTokens, output_tokens AS OutputTokens, thinking_tokens AS ThinkingTokens,
        latency_ms AS LatencyMs, prompt_chars AS PromptChars, price_at_signal AS PriceAtSignal,
        execution_note AS ExecutionNote, created_at AS CreatedAt,
        price_after_4h AS PriceAfter4h, change_4h_pct AS Change4hPct, correct_4h AS Correct4h, evaluated_4h_at AS Evaluated4hAt,
        price_after_24h AS PriceAfter24h, change_24h_pct AS Change24hPct, correct_24h AS Correct24h,
        evaluated_24h_at AS Evaluated24hAt,
        prompt_sha256 AS PromptSha256, prompt_text AS PromptText, response_schema_version AS ResponseSchemaVersion,
        model_version AS ModelVersion, response_id AS ResponseId, raw_response AS RawResponse,
        ai_skip_reason AS AiSkipReason, is_shadow AS IsShadow, shadow_of_id AS ShadowOfId
        """;

    /// <summary>Served by <c>idx_signal_market_data_id</c>, the index the foreign key's ON DELETE SET NULL also needs.</summary>
    internal const string ByMarketDataIdSql =
        $"SELECT {Columns} FROM trading_signals WHERE market_data_id = @marketDataId AND NOT is_shadow ORDER BY id DESC LIMIT 1";

    private const string PerformanceSql = $"""
        SELECT signal_type AS SignalType,
               {PerformanceAggregates}
        FROM trading_signals
        WHERE created_at >= @since AND NOT is_shadow
        GROUP BY signal_type
        ORDER BY signal_type
        """;

    // A primary with a shadow of the same run, or that shadow: the runs both answered.
    private const string ShadowComparisonSql = $"""
        SELECT CASE WHEN s.is_shadow THEN 'shadow' ELSE 'primary' END AS Role, s.provider AS Provider,
               CASE WHEN s.provider = 'technical' THEN NULL ELSE s.model_name END AS ModelName,
               s.signal_type AS SignalType,
               {PerformanceAggregates}
        FROM trading_signals s
        WHERE s.created_at >= @since
          AND (s.shadow_of_id IS NOT NULL
               OR (NOT s.is_shadow AND EXISTS (SELECT 1 FROM trading_signals sh WHERE sh.shadow_of_id = s.id)))
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4
        """;

    private const string PerformanceAggregates = """
               count(*)::int AS Total,
               count(*) FILTER (WHERE evaluated_4h_at IS NOT NULL)::int AS Evaluated4h,
               count(*) FILTER (WHERE correct_4h)::int AS Correct4h,
               round(100.0 * count(*) FILTER (WHERE correct_4h)
                     / nullif(count(*) FILTER (WHERE evaluated_4h_at IS NOT NULL), 0), 2) AS Accuracy4hPct,
               round(avg(change_4h_pct), 6) AS AvgChange4hPct,
               count(*) FILTER (WHERE evaluated_24h_at IS NOT NULL)::int AS Evaluated24h,
               count(*) FILTER (WHERE correct_24h)::int AS Correct24h,
               round(100.0 * count(*) FILTER (WHERE correct_24h)
                     / nullif(count(*) FILTER (WHERE evaluated_24h_at IS NOT NULL), 0), 2) AS Accuracy24hPct,
               round(avg(change_24h_pct), 6) AS AvgChange24hPct
        """;

    private const string CalibrationSql = """
        SELECT s.provider AS Provider, s.model_name AS ModelName, s.is_shadow AS IsShadow,
               (s.shadow_of_id IS NOT NULL
                OR (NOT s.is_shadow AND EXISTS (SELECT 1 FROM trading_signals sh WHERE sh.shadow_of_id = s.id))) AS Paired,
               s.confidence AS Confidence, s.correct_4h AS Correct4h, s.correct_24h AS Correct24h
        FROM trading_signals s
        WHERE s.created_at >= @since AND (s.evaluated_4h_at IS NOT NULL OR s.evaluated_24h_at IS NOT NULL)
        ORDER BY s.id
        """;

    /// <summary>Served by <c>idx_signal_gate_evaluated</c>.</summary>
    private const string HitRateSql = """
        SELECT count(*)::int AS Sample, count(*) FILTER (WHERE correct_4h)::int AS Correct
        FROM (SELECT correct_4h FROM trading_signals
              WHERE NOT is_shadow AND NOT is_fallback AND signal_type <> 'HOLD' AND evaluated_4h_at IS NOT NULL
              ORDER BY created_at DESC
              LIMIT @sampleSize) AS recent
        """;

    private const string AiUsageSql = """
        SELECT (created_at AT TIME ZONE 'UTC')::date AS Day, provider AS Provider, model_name AS ModelName,
               count(*)::int AS Signals, count(*) FILTER (WHERE is_fallback)::int AS Fallbacks,
               coalesce(sum(input_tokens), 0)::bigint AS InputTokens,
               coalesce(sum(output_tokens), 0)::bigint AS OutputTokens,
               coalesce(sum(thinking_tokens), 0)::bigint AS ThinkingTokens
        FROM trading_signals
        WHERE created_at >= @since
        GROUP BY 1, 2, 3
        ORDER BY 1 DESC, 2, 3
        """;

    public async Task<long> InsertAsync(NewSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO trading_signals (market, market_data_id, signal_type, action_score, confidence, market_regime,
                reasoning, provider, model_name, is_fallback, input_tokens, output_tokens, thinking_tokens, latency_ms,
                prompt_chars, price_at_signal, created_at, prompt_sha256, prompt_text, response_schema_version,
                model_version, response_id, raw_response, ai_skip_reason, is_shadow, shadow_of_id, execution_note)
            VALUES (@Market, @MarketDataId, @SignalType, @ActionScore, @Confidence, @MarketRegime,
                @ReasoningJson::jsonb, @Provider, @ModelName, @IsFallback, @InputTokens, @OutputTokens, @ThinkingTokens,
                @LatencyMs, @PromptChars, @PriceAtSignal, @CreatedAt, @PromptSha256, @PromptText, @ResponseSchemaVersion,
                @ModelVersion, @ResponseId, @RawResponse, @AiSkipReason, @IsShadow, @ShadowOfId, @ExecutionNote)
            RETURNING id
            """,
            new
            {
                signal.Market,
                signal.MarketDataId,
                SignalType = DbValues.ToDb(signal.Type),
                signal.ActionScore,
                signal.Confidence,
                signal.MarketRegime,
                signal.ReasoningJson,
                Provider = DbValues.ToDb(signal.Provider),
                signal.ModelName,
                signal.IsFallback,
                signal.InputTokens,
                signal.OutputTokens,
                signal.ThinkingTokens,
                signal.LatencyMs,
                signal.PromptChars,
                signal.PriceAtSignal,
                CreatedAt = DbValues.Utc(signal.CreatedAt),
                signal.Provenance?.PromptSha256,
                signal.Provenance?.PromptText,
                signal.Provenance?.ResponseSchemaVersion,
                signal.Provenance?.ModelVersion,
                signal.Provenance?.ResponseId,
                signal.Provenance?.RawResponse,
                signal.AiSkipReason,
                signal.IsShadow,
                signal.ShadowOfId,
                signal.ExecutionNote,
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public Task<TradingSignal?> GetByIdAsync(long id, CancellationToken cancellationToken = default) =>
        QuerySingleAsync($"SELECT {Columns} FROM trading_signals WHERE id = @id", new { id }, cancellationToken);

    public async Task<IReadOnlyList<TradingSignal>> ListAsync(
        int limit, SignalType? type = null, long? beforeId = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var args = new { limit, signalType = type is { } t ? DbValues.ToDb(t) : null, beforeId };
        return await QueryListAsync(ListSql(type is not null, beforeId is not null), args, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Newest first by (created_at, id), so <c>idx_signal_created_at</c> serves it and pages never skip a row.</summary>
    internal static string ListSql(bool byType, bool paged) => $"""
        SELECT {Columns} FROM trading_signals
        WHERE {(byType ? "signal_type = @signalType" : "TRUE")}
        {(paged ? "AND (created_at, id) < (SELECT created_at, id FROM trading_signals WHERE id = @beforeId)" : "")}
        ORDER BY created_at DESC, id DESC
        LIMIT @limit
        """;

    public Task<TradingSignal?> GetLatestAsync(string market, CancellationToken cancellationToken = default) =>
        QuerySingleAsync(
            $"SELECT {Columns} FROM trading_signals WHERE market = @market AND NOT is_shadow ORDER BY created_at DESC, id DESC LIMIT 1",
            new { market }, cancellationToken);

    public Task<TradingSignal?> GetByMarketDataIdAsync(long marketDataId, CancellationToken cancellationToken = default) =>
        QuerySingleAsync(ByMarketDataIdSql, new { marketDataId }, cancellationToken);

    public async Task<bool> SetExecutionNoteAsync(long id, string note, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE trading_signals SET execution_note = @note WHERE id = @id", new { id, note },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return updated == 1;
    }

    public async Task<IReadOnlyList<TradingSignal>> ListDueForEvaluationAsync(
        EvaluationHorizon horizon, DateTimeOffset now, int limit = 500, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var evaluatedAt = EvaluatedAtColumn(horizon);
        var dueBefore = DbValues.Utc(now) - horizon.ToTimeSpan();
        return await QueryListAsync($"""
            SELECT {Columns} FROM trading_signals
            WHERE created_at <= @dueBefore AND {evaluatedAt} IS NULL
            ORDER BY created_at, id
            LIMIT @limit
            """, new { dueBefore, limit }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> SetEvaluationAsync(
        long id, EvaluationHorizon horizon, decimal priceAfter, decimal changePct, bool correct, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        var suffix = horizon == EvaluationHorizon.FourHours ? "4h" : "24h";
        var evaluatedAt = EvaluatedAtColumn(horizon);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var updated = await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE trading_signals
            SET price_after_{suffix} = @priceAfter, change_{suffix}_pct = @changePct, correct_{suffix} = @correct,
                {evaluatedAt} = @at
            WHERE id = @id AND {evaluatedAt} IS NULL
            """,
            new { id, priceAfter, changePct, correct, at = DbValues.Utc(at) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return updated == 1;
    }

    public async Task<IReadOnlyList<SignalPerformance>> GetPerformanceAsync(
        DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<PerformanceRow>(new CommandDefinition(
            PerformanceSql, new { since = DbValues.Utc(since) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(ToPerformance).ToList();
    }

    private static SignalPerformance ToPerformance(PerformanceRow r) => new(
        DbValues.ParseSignalType(r.SignalType),
        r.Total,
        new HorizonPerformance(r.Evaluated4h, r.Correct4h, r.Accuracy4hPct, r.AvgChange4hPct),
        new HorizonPerformance(r.Evaluated24h, r.Correct24h, r.Accuracy24hPct, r.AvgChange24hPct));

    public async Task<IReadOnlyList<SourcePerformance>> GetShadowComparisonAsync(
        DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<SourcePerformanceRow>(new CommandDefinition(
            ShadowComparisonSql, new { since = DbValues.Utc(since) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows
            .GroupBy(r => (r.Role, r.Provider, r.ModelName))
            .Select(g => new SourcePerformance(
                g.Key.Role, DbValues.ParseSignalProvider(g.Key.Provider), g.Key.ModelName, g.Select(ToPerformance).ToList()))
            .ToList();
    }

    public async Task<IReadOnlyList<CalibrationSample>> ListCalibrationSamplesAsync(
        DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<CalibrationRow>(new CommandDefinition(
            CalibrationSql, new { since = DbValues.Utc(since) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new CalibrationSample(
                DbValues.ParseSignalProvider(r.Provider), r.ModelName, r.IsShadow, r.Paired, r.Confidence, r.Correct4h, r.Correct24h))
            .ToList();
    }

    public async Task<SignalHitRate> GetRecentHitRateAsync(int sampleSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleSize);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleAsync<HitRateRow>(new CommandDefinition(
            HitRateSql, new { sampleSize }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new SignalHitRate(row.Sample, row.Correct);
    }

    public async Task<IReadOnlyList<AiUsageDay>> GetAiUsageAsync(
        DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<AiUsageRow>(new CommandDefinition(
            AiUsageSql, new { since = DbValues.Utc(since) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new AiUsageDay(
                DateOnly.FromDateTime(r.Day), DbValues.ParseSignalProvider(r.Provider), r.ModelName, r.Signals,
                r.Fallbacks, r.InputTokens, r.OutputTokens, r.ThinkingTokens))
            .ToList();
    }

    private static string EvaluatedAtColumn(EvaluationHorizon horizon) => horizon switch
    {
        EvaluationHorizon.FourHours => "evaluated_4h_at",
        EvaluationHorizon.TwentyFourHours => "evaluated_24h_at",
        _ => throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "Unknown evaluation horizon."),
    };

    private async Task<TradingSignal?> QuerySingleAsync(string sql, object args, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<SignalRow>(
            new CommandDefinition(sql, args, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToDomain();
    }

    private async Task<IReadOnlyList<TradingSignal>> QueryListAsync(string sql, object args, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<SignalRow>(
            new CommandDefinition(sql, args, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToDomain()).ToList();
    }

    private sealed class SignalRow
    {
        public long Id { get; set; }
        public string Market { get; set; } = "";
        public long? MarketDataId { get; set; }
        public string SignalType { get; set; } = "";
        public decimal ActionScore { get; set; }
        public decimal Confidence { get; set; }
        public string? MarketRegime { get; set; }
        public string ReasoningJson { get; set; } = "{}";
        public string Provider { get; set; } = "";
        public string? ModelName { get; set; }
        public bool IsFallback { get; set; }
        public int? InputTokens { get; set; }
        public int? OutputTokens { get; set; }
        public int? ThinkingTokens { get; set; }
        public int? LatencyMs { get; set; }
        public int? PromptChars { get; set; }
        public decimal? PriceAtSignal { get; set; }
        public string? ExecutionNote { get; set; }
        public DateTime CreatedAt { get; set; }
        public decimal? PriceAfter4h { get; set; }
        public decimal? Change4hPct { get; set; }
        public bool? Correct4h { get; set; }
        public DateTime? Evaluated4hAt { get; set; }
        public decimal? PriceAfter24h { get; set; }
        public decimal? Change24hPct { get; set; }
        public bool? Correct24h { get; set; }
        public DateTime? Evaluated24hAt { get; set; }
        public string? PromptSha256 { get; set; }
        public string? PromptText { get; set; }
        public int? ResponseSchemaVersion { get; set; }
        public string? ModelVersion { get; set; }
        public string? ResponseId { get; set; }
        public string? RawResponse { get; set; }
        public string? AiSkipReason { get; set; }
        public bool IsShadow { get; set; }
        public long? ShadowOfId { get; set; }

        public TradingSignal ToDomain() => new()
        {
            Id = Id,
            Market = Market,
            MarketDataId = MarketDataId,
            Type = DbValues.ParseSignalType(SignalType),
            ActionScore = ActionScore,
            Confidence = Confidence,
            MarketRegime = MarketRegime,
            ReasoningJson = ReasoningJson,
            Provider = DbValues.ParseSignalProvider(Provider),
            ModelName = ModelName,
            IsFallback = IsFallback,
            InputTokens = InputTokens,
            OutputTokens = OutputTokens,
            ThinkingTokens = ThinkingTokens,
            LatencyMs = LatencyMs,
            PromptChars = PromptChars,
            PriceAtSignal = PriceAtSignal,
            ExecutionNote = ExecutionNote,
            CreatedAt = DbValues.ToOffset(CreatedAt),
            Evaluation4h = Evaluation(PriceAfter4h, Change4hPct, Correct4h, Evaluated4hAt),
            Evaluation24h = Evaluation(PriceAfter24h, Change24hPct, Correct24h, Evaluated24hAt),
            Provenance = PromptSha256 is null
                ? null
                : new SignalProvenance(PromptSha256, PromptText ?? "", ResponseSchemaVersion, ModelVersion, ResponseId, RawResponse),
            AiSkipReason = AiSkipReason,
            IsShadow = IsShadow,
            ShadowOfId = ShadowOfId,
        };

        // The four columns of a horizon are written together; evaluated_*_at marks that they were.
        private static SignalEvaluation? Evaluation(decimal? price, decimal? change, bool? correct, DateTime? at) =>
            at is { } evaluatedAt && price is { } p && change is { } c && correct is { } ok
                ? new SignalEvaluation(p, c, ok, DbValues.ToOffset(evaluatedAt))
                : null;
    }

    private class PerformanceRow
    {
        public string SignalType { get; set; } = "";
        public int Total { get; set; }
        public int Evaluated4h { get; set; }
        public int Correct4h { get; set; }
        public decimal? Accuracy4hPct { get; set; }
        public decimal? AvgChange4hPct { get; set; }
        public int Evaluated24h { get; set; }
        public int Correct24h { get; set; }
        public decimal? Accuracy24hPct { get; set; }
        public decimal? AvgChange24hPct { get; set; }
    }

    private sealed class SourcePerformanceRow : PerformanceRow
    {
        public string Role { get; set; } = "";
        public string Provider { get; set; } = "";
        public string? ModelName { get; set; }
    }

    private sealed class CalibrationRow
    {
        public string Provider { get; set; } = "";
        public string? ModelName { get; set; }
        public bool IsShadow { get; set; }
        public bool Paired { get; set; }
        public decimal Confidence { get; set; }
        public bool? Correct4h { get; set; }
        public bool? Correct24h { get; set; }
    }

    private sealed class HitRateRow
    {
        public int Sample { get; set; }
        public int Correct { get; set; }
    }

    private sealed class AiUsageRow
    {
        public DateTime Day { get; set; }
        public string Provider { get; set; } = "";
        public string? ModelName { get; set; }
        public int Signals { get; set; }
        public int Fallbacks { get; set; }
        public long InputTokens { get; set; }
        public long OutputTokens { get; set; }
        public long ThinkingTokens { get; set; }
    }
}
