// The price chart: candles at a resolution, signals and fills as markers, the position's exit levels as lines.
// lightweight-charts shows timestamps as UTC; shifting them by +9 h makes its axis read in KST.
const KST_OFFSET_S = 9 * 3600;

export const RESOLUTIONS = {
  '1m': { seconds: 60, hours: 6, limit: 360 },
  '5m': { seconds: 300, hours: 48, limit: 576 },
  '1h': { seconds: 3600, hours: 720, limit: 720 },
};

const COLORS = { entry: '#4c9aff', stopLoss: '#ef5350', takeProfit: '#26a69a', trailingStop: '#f0b429' };

const toChartTime = (iso) => Math.floor(new Date(iso).getTime() / 1000) + KST_OFFSET_S;

export class PriceChart {
  constructor(container, { onFirstRender } = {}) {
    const lwc = window.LightweightCharts;
    this.chart = lwc.createChart(container, {
      autoSize: true,
      layout: { background: { color: '#182029' }, textColor: '#c9d1d9', attributionLogo: true },
      grid: { vertLines: { color: '#222c36' }, horzLines: { color: '#222c36' } },
      timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#2a3540' },
      rightPriceScale: { borderColor: '#2a3540' },
      localization: { priceFormatter: (p) => '₩' + Math.round(p).toLocaleString('en-US') },
    });
    this.series = this.chart.addSeries(lwc.CandlestickSeries, {
      upColor: '#26a69a', downColor: '#ef5350', borderVisible: false, wickUpColor: '#26a69a', wickDownColor: '#ef5350',
    });
    this.markers = lwc.createSeriesMarkers(this.series, []);
    this.lines = [];
    this.levelPrices = [];
    // Exit levels can sit outside the candles' range (a stop-loss 5 % below): widen the scale so every line shows.
    this.series.applyOptions({
      autoscaleInfoProvider: (original) => {
        const range = original();
        if (!range || this.levelPrices.length === 0) return range;
        return {
          ...range,
          priceRange: {
            minValue: Math.min(range.priceRange.minValue, ...this.levelPrices),
            maxValue: Math.max(range.priceRange.maxValue, ...this.levelPrices),
          },
        };
      },
    });
    this.onFirstRender = onFirstRender;
    this.rendered = false;
    this.resolution = '1m';
  }

  /** Candles newest-first from /api/market/history, bucketed to the chart's resolution. Returns the number drawn. */
  setCandles(items) {
    const bucket = RESOLUTIONS[this.resolution].seconds;
    const byTime = new Map();
    for (const item of [...items].reverse()) {
      const time = toChartTime(item.ts ?? item.time ?? item.bucketStart);
      byTime.set(time, { time, open: item.open, high: item.high, low: item.low, close: item.close });
    }
    const candles = [...byTime.values()].sort((a, b) => a.time - b.time);
    this.series.setData(candles);
    this.times = candles.map((c) => c.time);
    this.bucket = bucket;
    if (candles.length > 0 && this.fittedResolution !== this.resolution) {
      // Show the whole window once per resolution; later refreshes keep the user's zoom and scroll.
      this.fittedResolution = this.resolution;
      this.chart.timeScale().fitContent();
    }
    if (!this.rendered && candles.length > 0) {
      this.rendered = true;
      // The first frame with candles: the page reports the time to it.
      requestAnimationFrame(() => this.onFirstRender?.());
    }
    return candles.length;
  }

  /** The bar a moment falls in, or null when it is outside the drawn window (markers must sit on bars). */
  barTime(iso) {
    if (!this.times?.length) return null;
    const t = toChartTime(iso);
    if (t < this.times[0] || t > this.times[this.times.length - 1] + this.bucket) return null;
    let found = this.times[0];
    for (const time of this.times) {
      if (time <= t) found = time; else break;
    }
    return found;
  }

  setMarkers(signals, orders) {
    const markers = [];
    for (const s of signals) {
      if (s.signalType === 'HOLD') continue;
      const time = this.barTime(s.createdAt);
      if (time === null) continue;
      const buy = s.signalType === 'BUY';
      markers.push({
        time, position: buy ? 'belowBar' : 'aboveBar', shape: buy ? 'arrowUp' : 'arrowDown',
        color: buy ? '#26a69a' : '#ef5350', text: `${s.signalType} ${Number(s.confidence).toFixed(2)}`,
      });
    }
    for (const o of orders) {
      if (!(o.executedVolume > 0)) continue;
      const time = this.barTime(o.finishedAt ?? o.submittedAt ?? o.createdAt);
      if (time === null) continue;
      const buy = o.side === 'BID' || o.side === 'BUY';
      markers.push({ time, position: 'inBar', shape: 'circle', color: buy ? '#4c9aff' : '#f0b429', text: buy ? 'fill B' : 'fill S' });
    }
    markers.sort((a, b) => a.time - b.time);
    this.markers.setMarkers(markers);
    return markers.length;
  }

  /** Entry, stop-loss, take-profit and (once armed) trailing-stop prices of an open position. */
  setLevels(levels) {
    for (const line of this.lines) this.series.removePriceLine(line);
    const drawn = Object.entries(levels).filter(([, price]) => typeof price === 'number' && Number.isFinite(price));
    this.levelPrices = drawn.map(([, price]) => price);
    this.lines = drawn
      .map(([name, price]) => this.series.createPriceLine({
        price, color: COLORS[name], lineWidth: 1, lineStyle: name === 'entry' ? 0 : 2, axisLabelVisible: true, title: name,
      }));
  }
}

/** Exit levels as the risk engine computes them (SPEC §5.2): percentages of the average entry and of the peak. */
export function exitLevels(position, settings) {
  if (!position?.isOpen || !settings) return {};
  const entry = position.avgEntryPrice;
  const levels = {
    entry,
    stopLoss: entry * (1 - settings.stopLossPct / 100),
    takeProfit: entry * (1 + settings.takeProfitPct / 100),
  };
  const peak = position.peakPriceSinceEntry;
  if (typeof peak === 'number' && peak >= entry * (1 + settings.trailingStopActivationPct / 100)) {
    levels.trailingStop = peak * (1 - settings.trailingStopDistancePct / 100);
  }
  return levels;
}

/** A small line chart of one backtest's equity curve. */
export class EquityChart {
  constructor(container) {
    const lwc = window.LightweightCharts;
    this.chart = lwc.createChart(container, {
      autoSize: true,
      layout: { background: { color: '#182029' }, textColor: '#c9d1d9', attributionLogo: true },
      grid: { vertLines: { color: '#222c36' }, horzLines: { color: '#222c36' } },
      timeScale: { timeVisible: true, borderColor: '#2a3540' },
    });
    this.series = this.chart.addSeries(lwc.LineSeries, { color: '#4c9aff', lineWidth: 2 });
  }

  setPoints(points) {
    const byTime = new Map(points.map((p) => [toChartTime(p.time), p.value]));
    this.series.setData([...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([time, value]) => ({ time, value })));
    this.chart.timeScale().fitContent();
  }
}
