namespace BitcoinAutoTrading.Functions.Trading;

/// <summary>Activity function names (SPEC §2.1); shared by the orchestrator and the activity class.</summary>
public static class OrderActivityNames
{
    public const string CreateOrderRecord = nameof(CreateOrderRecord);
    public const string SubmitOrder = nameof(SubmitOrder);
    public const string GetOrderState = nameof(GetOrderState);
    public const string CancelOrder = nameof(CancelOrder);
    public const string RecordOrderResult = nameof(RecordOrderResult);
    public const string RecordUnsettledCancel = nameof(RecordUnsettledCancel);
    public const string ApplyFillToPosition = nameof(ApplyFillToPosition);
    public const string SendNotification = nameof(SendNotification);
}
