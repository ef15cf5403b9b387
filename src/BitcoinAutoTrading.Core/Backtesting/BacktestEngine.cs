using BitcoinAutoTrading.Core.Exchange;
using BitcoinAutoTrading.Core.Market;
using BitcoinAutoTrading.Core.Risk;
using BitcoinAutoTrading.Core.Signals;
using BitcoinAutoTrading.Core.Signals.Calibration;
using BitcoinAutoTrading.Core.Signals.Decision;
using BitcoinAutoTrading.Core.Trading;

namespace BitcoinAutoTrading.Core.Backtesting;

/// <summary>
/// Replays minutes [from, to) through the rules live trading runs, in live trading's order at each minute boundary:
/// the daily roll (00:05 KST), the protective exits on the last closed minute (<see cref="ExitRules"/>, then the
/// daily-loss check), then the signal due at that instant with SignalExecutor's steps and the entry checks live trading
/// runs — <see cref="EntryRules"/> itself, over facts taken from the replayed books (kill switch, daily-loss halt,
/// hit-rate gate, confidence, cooldown, missing data, volatility, ticker age, <see cref="PositionSizing"/>; a SELL
/// sells the whole position). An order fills at once at the minute's open (the next minute after the one decided on)
/// plus slippage, with Upbit's fee and 8-decimal volumes (<see cref="MarketOrderPricing"/>), and is booked with
/// <see cref="FillAccounting"/> into the position and the KST day's realized PnL.
/// </summary>
public static class BacktestEngine
{
    public static BacktestRun Run(
        MinuteSeries series, IReadOnlyList<ReplayedSignal> signals, RiskSettings settings, BacktestOptions options,
        DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        var start = series.IndexAtOrAfter(from);
        var end = series.IndexAtOrAfter(to);
        if (end <= start)
        {
            throw new ArgumentException($"No stored minutes between {from:o} and {to:o}.", nameof(from));
        }
        return new Replay(series, settings, options).Run(signals, start, end, from, to);
    }

    private sealed class DayBook(decimal startingEquity)
    {
        public decimal StartingEquity { get; } = startingEquity;
        public decimal Realized { get; set; }
        public bool Halted { get; set; }
    }

    private sealed class Replay(MinuteSeries series, RiskSettings settings, BacktestOptions options)
    {
        private readonly List<BacktestOrder> _orders = [];
        private readonly List<BacktestRiskEvent> _events = [];
        private readonly List<BacktestSignalOutcome> _outcomes = [];
        private readonly Dictionary<DateOnly, DayBook> _days = [];
        private readonly DecisionThresholds _thresholds = new(settings.SignalBuyThreshold, settings.SignalSellThreshold);
        private readonly decimal _slippage = options.SlippageBps / 10_000m;
        private readonly ReplayedHitRate _hitRate = new(series, options.EvaluateSignalsEvery);

        private RiskSettings Settings => settings;

        private BacktestOptions Options => options;
        private decimal _krw = options.InitialKrw;
        private decimal _coin;
        private Position? _position;
        private Order? _lastOrder;
        private long _orderId;

        public BacktestRun Run(IReadOnlyList<ReplayedSignal> signals, int start, int end, DateTimeOffset from, DateTimeOffset to)
        {
            var count = end - start;
            var equityTicks = new long[count];
            var equity = new double[count];
            var price = new double[count];
            var exposed = 0;
            var firstAt = series.At(start);
            // The deployed app rolled the day before the range began: the first KST day starts at the initial equity.
            _days[KstClock.TradingDay(firstAt)] = new DayBook(options.InitialKrw);
            var nextRoll = NextRollAfter(firstAt);
            var exitEvery = Math.Max(1, options.ExitCheckEveryMinutes);
            var s = 0;
            // Signals before the range trade nothing but count towards the hit-rate gate, as the days before a deployed
            // app's "now" do: live trading starts a day with the signals it judged before it.
            // A stored signal created before the start whose fill minute is the first of the range is one of these too.
            while (s < signals.Count && (signals[s].FillIndex < start || (signals[s].CreatedAt ?? signals[s].At) < from))
            {
                JudgeOnly(signals[s]);
                s++;
            }

            for (var k = start; k < end; k++)
            {
                var at = series.At(k);
                // The ticker while minute k opens: the last closed minute's close (the first minute: its open).
                var ticker = k > 0 ? series.Close[k - 1] : series.Open[k];
                while (at >= nextRoll)
                {
                    var day = KstClock.TradingDay(nextRoll);
                    _days.TryAdd(day, new DayBook(Equity(ticker)));
                    nextRoll = nextRoll.AddDays(1);
                }

                if (k > start && (at.UtcTicks / MinuteSeries.TicksPerMinute) % exitEvery == 0)
                {
                    CheckExits(k, at, ticker);
                    CheckDailyLoss(at);
                }

                while (s < signals.Count && signals[s].FillIndex == k)
                {
                    Execute(signals[s], k, at, ticker);
                    s++;
                }

                equityTicks[k - start] = series.Ticks[k];
                equity[k - start] = (double)Equity(series.Close[k]);
                price[k - start] = (double)series.Close[k];
                if (_coin > 0)
                {
                    exposed++;
                }
            }

            return new BacktestRun(
                series.Market, settings, options, from, to, _orders, _events, _outcomes, equityTicks, equity, price, exposed,
                _krw, _coin, Equity(series.Close[end - 1]), series.Open[start], series.Close[end - 1]);
        }

        private decimal Equity(decimal price) => _krw + (_coin * price);

        private Holdings HoldingsAt(decimal price, DateTimeOffset? at = null) => new(series.Market, price, _krw, _krw, _coin, _coin, at);

        private DateTimeOffset NextRollAfter(DateTimeOffset at)
        {
            var roll = new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero) + options.DailyRollUtc;
            return roll > at ? roll : roll.AddDays(1);
        }

        private void CheckExits(int k, DateTimeOffset at, decimal price)
        {
            if (_position is not { IsOpen: true } position || price <= 0)
            {
                return;
            }
            var peak = Math.Max(position.PeakPriceSinceEntry ?? position.AvgEntryPrice, price);
            _position = position = position with { PeakPriceSinceEntry = peak };
            if (ExitRules.Evaluate(position.AvgEntryPrice, peak, price, settings) is not { } trigger)
            {
                return;
            }
            var volume = EntryRules.SellableVolume(position, HoldingsAt(price));
            if (volume * price < KrwOrderRules.MinimumOrderKrw)
            {
                return;
            }
            Sell(k, at, volume, trigger.Reason, null, price);
            _events.Add(new BacktestRiskEvent(at, trigger.EventType, trigger.TriggerPct, trigger.ThresholdPct, null));
        }

        private void Execute(ReplayedSignal signal, int k, DateTimeOffset at, decimal ticker)
        {
            var decision = signal.Decide(_thresholds);
            string note;
            if (decision.Action == SignalAction.Hold)
            {
                note = SignalExecutor.HoldNote;
            }
            else if (signal.IsFallback)
            {
                note = SignalExecutor.FallbackNote;
            }
            else if (decision.Action == SignalAction.Buy)
            {
                note = TryBuy(signal, decision, k, at, ticker);
            }
            else
            {
                note = TrySell(signal, k, at, ticker);
            }
            _outcomes.Add(new BacktestSignalOutcome(at, decision.Action, decision.ActionScore, decision.Confidence, note));
            if (!signal.IsFallback)
            {
                // Stored with the ticker as its price, and judged at 4 h like every primary signal (the hit-rate gate's input).
                _hitRate.Add(at, decision.Action, ticker);
            }
        }

        private void JudgeOnly(ReplayedSignal signal)
        {
            if (signal.IsFallback || signal.FillIndex <= 0)
            {
                return;
            }
            var decision = signal.Decide(_thresholds);
            _hitRate.Add(signal.At, decision.Action, series.Close[signal.FillIndex - 1]);
        }

        private string TryBuy(ReplayedSignal signal, ScoredSignal decision, int k, DateTimeOffset at, decimal ticker)
        {
            var verdict = Decide(EntryRules.DecideBuyAsync(Facts(k, at, ticker), decision.Confidence, settings, at), at, signal.SignalId);
            if (verdict is not { Approved: true, Krw: { } krw })
            {
                return verdict.Note;
            }
            Buy(k, at, krw, signal.SignalId, ticker);
            return SignalExecutor.StartedNote;
        }

        private string TrySell(ReplayedSignal signal, int k, DateTimeOffset at, decimal ticker)
        {
            var verdict = Decide(EntryRules.DecideSellAsync(Facts(k, at, ticker)), at, signal.SignalId);
            if (verdict is not { Approved: true, Volume: { } volume })
            {
                return verdict.Note;
            }
            Sell(k, at, volume, OrderReason.Signal, signal.SignalId, ticker);
            return SignalExecutor.StartedNote;
        }

        private ReplayFacts Facts(int k, DateTimeOffset at, decimal ticker) => new(this, k, at, ticker);

        /// <summary>The rules' verdict, its refusal stored as live trading stores it in <c>risk_events</c>.</summary>
        private EntryDecision Decide(ValueTask<EntryVerdict> pending, DateTimeOffset at, long? signalId)
        {
            // Every fact of a replay is in memory, so the shared async rules complete synchronously.
            if (!pending.IsCompletedSuccessfully)
            {
                throw new InvalidOperationException("The backtest's entry facts must complete synchronously.");
            }
            var verdict = pending.Result;
            if (verdict.Refusal is { } refusal)
            {
                _events.Add(new BacktestRiskEvent(at, refusal.Type, refusal.Trigger, refusal.Threshold, signalId, refusal.Reason));
            }
            return verdict.Decision;
        }

        /// <summary>
        /// The volatility window's minutes as MarketDataRepository.GetHistoryAsync returns them (newest first, at most
        /// <paramref name="count"/>, from <paramref name="since"/> on), of those closed before minute <paramref name="visible"/>.
        /// </summary>
        private List<MarketMinute> RecentMinutes(int visible, DateTimeOffset since, int count)
        {
            var minutes = new List<MarketMinute>(count);
            for (var i = visible - 1; i >= 0 && minutes.Count < count && series.Ticks[i] >= since.UtcTicks; i--)
            {
                minutes.Add(series.Minute(i));
            }
            return minutes;
        }

        /// <summary>
        /// What live trading reads from the database and the exchange, taken from the replayed books at minute k: the
        /// ticker is the last closed minute's close, as of now; the buy fee is the run's.
        /// </summary>
        private sealed class ReplayFacts(Replay replay, int k, DateTimeOffset at, decimal ticker) : IEntryFacts
        {
            public ValueTask<bool> IsTradingEnabledAsync(CancellationToken cancellationToken) => new(replay.Settings.TradingEnabled);

            public ValueTask<DailyLossStatus> CheckDailyLossAsync(CancellationToken cancellationToken)
            {
                replay.CheckDailyLoss(at);
                var halted = replay.IsHalted(at, out var lossPct);
                return new(new DailyLossStatus(halted, lossPct, replay.Settings.DailyLossLimitPct));
            }

            public ValueTask<HitRateStatus> CheckHitRateAsync(RiskSettings settings, CancellationToken cancellationToken) =>
                new(HitRateGate.Judge(
                    HitRateGate.Applies(settings) ? replay._hitRate.AsOf(at, settings.HitRateSampleSize) : new SignalHitRate(0, 0),
                    settings));

            public ValueTask<Order?> GetLatestOrderAsync(CancellationToken cancellationToken) => new(replay._lastOrder);

            public ValueTask<IReadOnlyList<MarketMinute>> GetRecentMinutesAsync(
                DateTimeOffset since, int count, CancellationToken cancellationToken) =>
                new(replay.RecentMinutes(k, since, count));

            public ValueTask<Holdings> ReadHoldingsForBuyAsync(CancellationToken cancellationToken) =>
                new(replay.HoldingsAt(ticker, at) with { BidFeeRate = replay.Options.FeeRate });

            public ValueTask<Holdings> ReadHoldingsAsync(CancellationToken cancellationToken) => new(replay.HoldingsAt(ticker, at));

            public ValueTask<Position?> GetPositionAsync(CancellationToken cancellationToken) => new(replay._position);
        }

        /// <summary>
        /// The day's halt, which holds until RollDailyStats opens the next KST day (SPEC §5.3, also between 00:00 and
        /// 00:05 KST).
        /// </summary>
        private bool IsHalted(DateTimeOffset at, out decimal lossPct)
        {
            var today = KstClock.TradingDay(at);
            lossPct = _days.TryGetValue(today, out var book) ? LossPct(book) : 0m;
            if (book is { Halted: true })
            {
                return true;
            }
            var rollsAt = KstClock.StartOfDayUtc(today) + (options.DailyRollUtc - (TimeSpan.FromHours(24) - KstClock.Offset));
            if (at < rollsAt && _days.TryGetValue(today.AddDays(-1), out var yesterday) && yesterday.Halted)
            {
                lossPct = LossPct(yesterday);
                return true;
            }
            return false;
        }

        private void CheckDailyLoss(DateTimeOffset at)
        {
            if (!_days.TryGetValue(KstClock.TradingDay(at), out var book) || book.Halted)
            {
                return;
            }
            var lossPct = LossPct(book);
            if (lossPct >= settings.DailyLossLimitPct)
            {
                book.Halted = true;
                _events.Add(new BacktestRiskEvent(at, RiskEventType.DailyLimit, lossPct, settings.DailyLossLimitPct, null));
            }
        }

        private static decimal LossPct(DayBook book) =>
            book.Realized < 0 && book.StartingEquity > 0 ? -book.Realized / book.StartingEquity * 100m : 0m;

        /// <summary>The price a fill starts from: the open of the minute after the decision, or the ticker the paper exchange fills at.</summary>
        private decimal FillBase(int k, decimal ticker) => options.FillAt == BacktestFill.Ticker ? ticker : series.Open[k];

        private void Buy(int k, DateTimeOffset at, decimal krw, long? signalId, decimal ticker)
        {
            var price = FillBase(k, ticker) * (1m + _slippage);
            var fill = MarketOrderPricing.Buy(krw, price, options.FeeRate);
            if (fill.Volume <= 0)
            {
                return;
            }
            _krw -= fill.FundsKrw + fill.FeeKrw;
            _coin += fill.Volume;
            Book(at, OrderSide.Buy, OrderType.Price, OrderReason.Signal, price, fill, signalId, ticker);
        }

        private void Sell(int k, DateTimeOffset at, decimal volume, OrderReason reason, long? signalId, decimal ticker)
        {
            var price = FillBase(k, ticker) * (1m - _slippage);
            var fill = MarketOrderPricing.Sell(volume, price, options.FeeRate);
            _krw += fill.FundsKrw - fill.FeeKrw;
            _coin -= fill.Volume;
            Book(at, OrderSide.Sell, OrderType.Market, reason, price, fill, signalId, price);
            CheckDailyLoss(at);
        }

        private void Book(
            DateTimeOffset at, OrderSide side, OrderType type, OrderReason reason, decimal price, MarketOrderFill fill,
            long? signalId, decimal ticker)
        {
            var order = new Order
            {
                Id = ++_orderId,
                Market = series.Market,
                Side = side,
                OrdType = type,
                Identifier = $"backtest-{_orderId}",
                Status = OrderStatus.Executed,
                ExecutedVolume = fill.Volume,
                ExecutedFundsKrw = fill.FundsKrw,
                PaidFee = fill.FeeKrw,
                Reason = reason,
                CreatedAt = at,
            };
            var effect = FillAccounting.Apply(_position, order, at);
            _position = effect.Position;
            _lastOrder = order;
            // As OrderExecutionSteps: the day's row is opened at the current equity when no roll opened it yet.
            var day = KstClock.TradingDay(at);
            if (!_days.TryGetValue(day, out var book))
            {
                book = new DayBook(Equity(ticker));
                _days[day] = book;
            }
            book.Realized += effect.RealizedPnlKrw;
            _orders.Add(new BacktestOrder(at, side, reason, price, fill.Volume, fill.FundsKrw, fill.FeeKrw, effect.RealizedPnlKrw, signalId));
        }
    }
}
