namespace BitcoinAutoTrading.UnitTests.Signals;

/// <summary>
/// Slow, literal re-implementations of the indicator definitions in <c>decimal</c> (28 significant digits), written
/// from the textbook formulas and independent of the production code, to check it to 1e-6 relative.
/// </summary>
internal static class DecimalReference
{
    public static decimal?[] Sma(IReadOnlyList<decimal> x, int n)
    {
        var r = new decimal?[x.Count];
        for (var i = n - 1; i < x.Count; i++)
        {
            r[i] = x.Skip(i - n + 1).Take(n).Sum() / n;
        }
        return r;
    }

    public static decimal?[] Ema(IReadOnlyList<decimal> x, int n)
    {
        var r = new decimal?[x.Count];
        if (x.Count < n)
        {
            return r;
        }
        var k = 2m / (n + 1);
        r[n - 1] = x.Take(n).Sum() / n;
        for (var i = n; i < x.Count; i++)
        {
            r[i] = (x[i] * k) + (r[i - 1]!.Value * (1 - k));
        }
        return r;
    }

    public static decimal?[] Rsi(IReadOnlyList<decimal> c, int n)
    {
        var r = new decimal?[c.Count];
        var gains = new List<decimal>();
        var losses = new List<decimal>();
        for (var i = 1; i < c.Count; i++)
        {
            gains.Add(Math.Max(c[i] - c[i - 1], 0));
            losses.Add(Math.Max(c[i - 1] - c[i], 0));
        }
        if (gains.Count < n)
        {
            return r;
        }
        var avgGain = gains.Take(n).Average();
        var avgLoss = losses.Take(n).Average();
        r[n] = Value(avgGain, avgLoss);
        for (var i = n; i < gains.Count; i++)
        {
            avgGain = ((avgGain * (n - 1)) + gains[i]) / n;
            avgLoss = ((avgLoss * (n - 1)) + losses[i]) / n;
            r[i + 1] = Value(avgGain, avgLoss);
        }
        return r;

        static decimal Value(decimal g, decimal l) => l == 0 ? (g == 0 ? 50 : 100) : 100 - (100 / (1 + (g / l)));
    }

    public static (decimal?[] Line, decimal?[] Signal) Macd(IReadOnlyList<decimal> c)
    {
        var fast = Ema(c, 12);
        var slow = Ema(c, 26);
        var line = c.Select((_, i) => fast[i] is { } f && slow[i] is { } s ? f - s : (decimal?)null).ToArray();
        var defined = line.Where(v => v is not null).Select(v => v!.Value).ToList();
        var signalDefined = Ema(defined, 9);
        var signal = new decimal?[c.Count];
        var offset = c.Count - defined.Count;
        for (var i = 0; i < defined.Count; i++)
        {
            signal[offset + i] = signalDefined[i];
        }
        return (line, signal);
    }

    public static (decimal?[] Mid, decimal?[] Upper, decimal?[] Lower) Bollinger(IReadOnlyList<decimal> c, int n, decimal width)
    {
        var mid = Sma(c, n);
        var upper = new decimal?[c.Count];
        var lower = new decimal?[c.Count];
        for (var i = n - 1; i < c.Count; i++)
        {
            var window = c.Skip(i - n + 1).Take(n).ToList();
            var variance = window.Sum(v => (v - mid[i]!.Value) * (v - mid[i]!.Value)) / n;
            var sd = Sqrt(variance);
            upper[i] = mid[i] + (width * sd);
            lower[i] = mid[i] - (width * sd);
        }
        return (mid, upper, lower);
    }

    public static decimal?[] Atr(IReadOnlyList<decimal> h, IReadOnlyList<decimal> l, IReadOnlyList<decimal> c, int n)
    {
        var tr = new decimal[c.Count];
        for (var i = 0; i < c.Count; i++)
        {
            tr[i] = i == 0 ? h[i] - l[i] : new[] { h[i] - l[i], Math.Abs(h[i] - c[i - 1]), Math.Abs(l[i] - c[i - 1]) }.Max();
        }
        var r = new decimal?[c.Count];
        r[n - 1] = tr.Take(n).Average();
        for (var i = n; i < c.Count; i++)
        {
            r[i] = ((r[i - 1]!.Value * (n - 1)) + tr[i]) / n;
        }
        return r;
    }

    /// <summary>Newton's method in decimal.</summary>
    public static decimal Sqrt(decimal x)
    {
        if (x == 0)
        {
            return 0;
        }
        var guess = (decimal)Math.Sqrt((double)x);
        for (var i = 0; i < 20; i++)
        {
            guess = (guess + (x / guess)) / 2;
        }
        return guess;
    }

    /// <summary>A deterministic BTC-like random walk (KRW prices around 100M) with highs and lows around each close.</summary>
    public static (decimal[] High, decimal[] Low, decimal[] Close) RandomWalk(int count, int seed)
    {
        var random = new Random(seed);
        var high = new decimal[count];
        var low = new decimal[count];
        var close = new decimal[count];
        var price = 100_000_000m;
        for (var i = 0; i < count; i++)
        {
            price = Math.Round(price * (1 + ((decimal)random.NextDouble() - 0.5m) * 0.02m), 0);
            close[i] = price;
            high[i] = price + Math.Round(price * (decimal)random.NextDouble() * 0.01m, 0);
            low[i] = price - Math.Round(price * (decimal)random.NextDouble() * 0.01m, 0);
        }
        return (high, low, close);
    }
}
