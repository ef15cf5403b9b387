using BitcoinAutoTrading.Core.Signals.Indicators;

namespace BitcoinAutoTrading.UnitTests.Signals;

/// <summary>
/// Published worked examples (StockCharts ChartSchool spreadsheets) to their printed precision, and an exact
/// decimal recomputation (<see cref="DecimalReference"/>) to 1e-6 relative on a 300-bar BTC-like series.
/// </summary>
public sealed class IndicatorTests
{
    // ChartSchool "Moving Averages – Simple and Exponential", cs-movavg.xls: closes and the 10-day EMA column
    // (printed to 2 decimals). https://chartschool.stockcharts.com/table-of-contents/technical-indicators-and-overlays/technical-overlays/moving-averages-simple-and-exponential
    private static readonly double[] EmaCloses =
    [
        22.2734, 22.194, 22.0847, 22.1741, 22.184, 22.1344, 22.2337, 22.4323, 22.2436, 22.2933,
        22.1542, 22.3926, 22.3816, 22.6109, 23.3558, 24.0519, 23.753, 23.8324, 23.9516, 23.6338,
        23.8225, 23.8722, 23.6537, 23.187, 23.0976, 23.326, 22.6805, 23.0976, 22.4025, 22.1725,
    ];

    private static readonly double[] Ema10Printed =
    [
        22.22, 22.21, 22.24, 22.27, 22.33, 22.52, 22.80, 22.97, 23.13, 23.28, 23.34,
        23.43, 23.51, 23.54, 23.47, 23.40, 23.39, 23.26, 23.23, 23.08, 22.92,
    ];

    // ChartSchool "Relative Strength Index (RSI)", cs-rsi.xls: QQQQ closes and the 14-day RSI column (4 decimals).
    // https://chartschool.stockcharts.com/table-of-contents/technical-indicators-and-overlays/technical-indicators/relative-strength-index-rsi
    private static readonly double[] RsiCloses =
    [
        44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931,
        46.0328, 45.614, 46.282, 46.282, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439, 46.2122, 46.2521,
        45.7137, 46.4515, 45.7835, 45.3548, 44.0288, 44.1783, 44.2181, 44.5672, 43.4205, 42.6628, 43.1314,
    ];

    private static readonly double[] Rsi14Printed =
    [
        70.5328, 66.3186, 66.5498, 69.4063, 66.3552, 57.9749, 62.9296, 63.2571, 56.0593, 62.3771,
        54.7076, 50.4228, 39.9898, 41.4605, 41.8689, 45.4632, 37.3040, 33.0795, 37.7730,
    ];

    // ChartSchool "Average True Range (ATR)", cs-atr.xls: QQQQ bars, True Range and 14-day ATR (6 decimals).
    // https://chartschool.stockcharts.com/table-of-contents/technical-indicators-and-overlays/technical-indicators/average-true-range-atr
    private static readonly double[] AtrHigh =
    [
        48.7, 48.72, 48.9, 48.87, 48.82, 49.05, 49.2, 49.35, 49.92, 50.19, 50.12, 49.66, 49.88, 50.19, 50.36,
        50.57, 50.65, 50.43, 49.63, 50.33, 50.29, 50.17, 49.32, 48.5, 48.3201, 46.8, 47.8, 48.39, 48.66, 48.79,
    ];

    private static readonly double[] AtrLow =
    [
        47.79, 48.14, 48.39, 48.37, 48.24, 48.635, 48.94, 48.86, 49.5, 49.87, 49.2, 48.9, 49.43, 49.725, 49.26,
        50.09, 50.3, 49.21, 48.98, 49.61, 49.2, 49.43, 48.08, 47.64, 41.55, 44.2833, 47.31, 47.2, 47.9, 47.7301,
    ];

    private static readonly double[] AtrClose =
    [
        48.16, 48.61, 48.75, 48.63, 48.74, 49.03, 49.07, 49.32, 49.91, 50.13, 49.53, 49.5, 49.75, 50.03, 50.31,
        50.52, 50.41, 49.34, 49.37, 50.23, 49.2375, 49.93, 48.43, 48.18, 46.57, 45.41, 47.77, 47.72, 48.62, 47.85,
    ];

    private static readonly double[] TrPrinted =
    [
        0.91, 0.58, 0.51, 0.5, 0.58, 0.415, 0.26, 0.49, 0.6, 0.32, 0.93, 0.76, 0.45, 0.465, 1.1,
        0.48, 0.35, 1.22, 0.65, 0.96, 1.09, 0.9325, 1.85, 0.86, 6.7701, 2.5167, 2.39, 1.19, 0.94, 1.0599,
    ];

    private static readonly double[] Atr14Printed =
    [
        0.555, 0.593929, 0.585791, 0.568949, 0.615452, 0.61792, 0.642354, 0.674329, 0.69277,
        0.775429, 0.78147, 1.209229, 1.30262, 1.38029, 1.366698, 1.336219, 1.316482,
    ];

    // ChartSchool "Bollinger Bands", cs-bbands.xls: SPY closes with the 20/2 middle, upper and lower bands (6 decimals).
    // https://chartschool.stockcharts.com/table-of-contents/technical-indicators-and-overlays/technical-overlays/bollinger-bands
    private static readonly double[] BbCloses =
    [
        86.1557, 89.0867, 88.7829, 90.3228, 89.0671, 91.1453, 89.4397, 89.175, 86.9302, 87.6752, 86.9596,
        89.4299, 89.3221, 88.7241, 87.4497, 87.2634, 89.4985, 87.9006, 89.126, 90.7043, 92.9001, 92.9784,
        91.8021, 92.6647, 92.6843, 92.3021, 92.7725, 92.5373, 92.949, 93.2039, 91.0669, 89.8318, 89.7435,
        90.3994, 90.7387, 88.0177, 88.0867, 88.8439, 90.7781, 90.5416, 91.3894, 90.65,
    ];

    private static readonly double[] BbMiddlePrinted =
    [
        88.70794, 89.04516, 89.239745, 89.390705, 89.5078, 89.68866, 89.7465, 89.91314, 90.081255, 90.382195, 90.65863,
        90.863995, 90.88409, 90.90516, 90.988925, 91.153375, 91.19109, 91.1205, 91.167665, 91.25027, 91.242135, 91.1666, 91.05018,
    ];

    private static readonly double[] BbUpperPrinted =
    [
        91.291862, 91.949268, 92.612595, 92.9342, 93.31195, 93.72845, 93.899592, 94.266255, 94.565096, 94.786912, 95.043001,
        94.907605, 94.902912, 94.89532, 94.861013, 94.673629, 94.556593, 94.678752, 94.575786, 94.534271, 94.532306, 94.369251, 94.148503,
    ];

    private static readonly double[] BbLowerPrinted =
    [
        86.124018, 86.141052, 85.866895, 85.84721, 85.70365, 85.64887, 85.593408, 85.560025, 85.597414, 85.977478, 86.274259,
        86.820385, 86.865268, 86.915, 87.116837, 87.633121, 87.825587, 87.562248, 87.759544, 87.966269, 87.951964, 87.963949, 87.951857,
    ];

    [Fact]
    public void Ema_ChartSchoolExample_MatchesPrintedColumn()
    {
        var ema = Ema.Compute(EmaCloses, 10);

        Assert.All(ema.Take(9), v => Assert.True(double.IsNaN(v)));
        AssertPrinted(Ema10Printed, ema.Skip(9).ToArray(), decimals: 2);
    }

    [Fact]
    public void Rsi_ChartSchoolExample_MatchesPrintedColumn()
    {
        var rsi = Rsi.Compute(RsiCloses);

        Assert.All(rsi.Take(14), v => Assert.True(double.IsNaN(v)));
        AssertPrinted(Rsi14Printed, rsi.Skip(14).ToArray(), decimals: 4);
    }

    [Fact]
    public void Atr_ChartSchoolExample_MatchesPrintedTrueRangeAndAtr()
    {
        var trueRange = Atr.TrueRange(AtrHigh, AtrLow, AtrClose);
        var atr = Atr.Compute(AtrHigh, AtrLow, AtrClose);

        AssertPrinted(TrPrinted, trueRange, decimals: 4);
        Assert.All(atr.Take(13), v => Assert.True(double.IsNaN(v)));
        AssertPrinted(Atr14Printed, atr.Skip(13).ToArray(), decimals: 6);
    }

    [Fact]
    public void BollingerBands_ChartSchoolExample_UsesPopulationDeviation()
    {
        var bands = BollingerBands.Compute(BbCloses);

        Assert.All(bands.Middle.Take(19), v => Assert.True(double.IsNaN(v)));
        AssertPrinted(BbMiddlePrinted, bands.Middle.Skip(19).ToArray(), decimals: 6);
        AssertPrinted(BbUpperPrinted, bands.Upper.Skip(19).ToArray(), decimals: 6);
        AssertPrinted(BbLowerPrinted, bands.Lower.Skip(19).ToArray(), decimals: 6);
    }

    [Fact]
    public void Ema_RandomWalk_AgreesWithDecimalRecomputation()
    {
        var (_, _, close) = DecimalReference.RandomWalk(300, seed: 1);
        foreach (var period in new[] { 20, 50 })
        {
            AssertExact(DecimalReference.Ema(close, period), Ema.Compute(ToDouble(close), period));
        }
    }

    [Fact]
    public void Rsi_RandomWalk_AgreesWithDecimalRecomputation()
    {
        var (_, _, close) = DecimalReference.RandomWalk(300, seed: 2);

        AssertExact(DecimalReference.Rsi(close, 14), Rsi.Compute(ToDouble(close)));
    }

    [Fact]
    public void Macd_RandomWalk_AgreesWithDecimalRecomputation()
    {
        var (_, _, close) = DecimalReference.RandomWalk(300, seed: 3);
        var (line, signal) = DecimalReference.Macd(close);

        var macd = Macd.Compute(ToDouble(close));

        AssertExact(line, macd.Line);
        AssertExact(signal, macd.Signal);
        // The signal starts at the 9th defined MACD value: bar 26 + 9 − 1 = index 33.
        Assert.True(double.IsNaN(macd.Signal[32]));
        Assert.False(double.IsNaN(macd.Signal[33]));
        Assert.Equal(macd.Line[299] - macd.Signal[299], macd.Histogram[299], 12);
    }

    [Fact]
    public void BollingerBands_RandomWalk_AgreesWithDecimalRecomputation()
    {
        var (_, _, close) = DecimalReference.RandomWalk(300, seed: 4);
        var (mid, upper, lower) = DecimalReference.Bollinger(close, 20, 2);

        var bands = BollingerBands.Compute(ToDouble(close));

        AssertExact(mid, bands.Middle);
        AssertExact(upper, bands.Upper);
        AssertExact(lower, bands.Lower);
        var expectedPercentB = ((double)close[299] - (double)lower[299]!.Value) / (double)(upper[299]!.Value - lower[299]!.Value);
        Assert.Equal(expectedPercentB, bands.PercentB[299], 9);
    }

    [Fact]
    public void Atr_RandomWalk_AgreesWithDecimalRecomputation()
    {
        var (high, low, close) = DecimalReference.RandomWalk(300, seed: 5);

        AssertExact(DecimalReference.Atr(high, low, close, 14), Atr.Compute(ToDouble(high), ToDouble(low), ToDouble(close)));
    }

    [Fact]
    public void Rsi_OnlyRises_Is100AndFlatIs50()
    {
        var rising = Enumerable.Range(1, 30).Select(i => (double)i).ToArray();
        var flat = Enumerable.Repeat(5.0, 30).ToArray();

        Assert.Equal(100, Rsi.Compute(rising)[^1]);
        Assert.Equal(50, Rsi.Compute(flat)[^1]);
    }

    [Fact]
    public void Indicators_TooLittleHistory_AreUndefined()
    {
        var closes = new double[] { 1, 2, 3 };

        Assert.All(Ema.Compute(closes, 20), v => Assert.True(double.IsNaN(v)));
        Assert.All(Rsi.Compute(closes), v => Assert.True(double.IsNaN(v)));
        Assert.All(Macd.Compute(closes).Signal, v => Assert.True(double.IsNaN(v)));
        Assert.All(Atr.Compute(closes, closes, closes), v => Assert.True(double.IsNaN(v)));
    }

    private static double[] ToDouble(decimal[] values) => values.Select(v => (double)v).ToArray();

    /// <summary>Same warm-up (undefined bars) and every defined value within 1e-6 relative.</summary>
    private static void AssertExact(decimal?[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var defined = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] is not { } e)
            {
                Assert.True(double.IsNaN(actual[i]), $"index {i}: expected undefined, got {actual[i]}");
                continue;
            }
            defined++;
            var relative = Math.Abs(actual[i] - (double)e) / Math.Max(Math.Abs((double)e), 1e-12);
            Assert.True(relative <= 1e-6, $"index {i}: expected {e}, got {actual[i]} (relative error {relative:E2})");
        }
        Assert.True(defined > 200, "the comparison must cover most of the series");
    }

    /// <summary>Each computed value rounds to the printed one: within half a unit of the last printed decimal.</summary>
    private static void AssertPrinted(double[] printed, double[] actual, int decimals)
    {
        Assert.Equal(printed.Length, actual.Length);
        var halfUnit = 0.5 * Math.Pow(10, -decimals) + 1e-12;
        for (var i = 0; i < printed.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - printed[i]) <= halfUnit, $"row {i}: printed {printed[i]}, computed {actual[i]}");
        }
    }
}
