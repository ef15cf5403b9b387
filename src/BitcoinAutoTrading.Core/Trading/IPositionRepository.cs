namespace BitcoinAutoTrading.Core.Trading;

/// <summary>One position row per market (<c>positions</c>).</summary>
public interface IPositionRepository
{
    Task<Position?> GetAsync(string market, CancellationToken cancellationToken = default);

    /// <summary>Writes the whole row; the stored <see cref="Position.UpdatedAt"/> is stamped now. Returns the stored row.</summary>
    Task<Position> UpsertAsync(Position position, CancellationToken cancellationToken = default);

    /// <summary>
    /// Raises the peak price of an open position to <paramref name="price"/> if it is higher; never lowers it.
    /// Returns true when the peak changed.
    /// </summary>
    Task<bool> UpdatePeakAsync(string market, decimal price, CancellationToken cancellationToken = default);
}
