using BitcoinAutoTrading.Core.Trading;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace BitcoinAutoTrading.Functions.Api;

/// <summary>Order records, newest first, and one order (SPEC §7).</summary>
public sealed class OrderFunctions(IOrderRepository orders, ILogger<OrderFunctions> logger)
{
    public const int MinLimit = 1;
    public const int MaxLimit = 100;
    public const int DefaultLimit = 20;

    [Function("ListOrders")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders")] HttpRequest request) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            var query = new ApiQuery(request);
            var status = query.OptionalEnum<OrderStatus>("status", WireCase.UpperSnake);
            var limit = query.Int("limit", MinLimit, MaxLimit, DefaultLimit);
            var before = query.OptionalId("before");
            if (!query.IsValid)
            {
                return query.Problem();
            }
            var page = await orders.ListAsync(status, limit, before, ct).ConfigureAwait(false);
            var total = await orders.CountAsync(status, cancellationToken: ct).ConfigureAwait(false);
            return new OkObjectResult(new OrderListResponse(
                limit, status?.ToDbValue(), total, page.Count == limit ? page[^1].Id : null,
                page.Select(OrderResponse.From).ToList()));
        });

    [Function("GetOrder")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders/{id}")] HttpRequest request, string id) =>
        ApiGuard.RunAsync(request, logger, async ct =>
        {
            var query = new ApiQuery(request);
            var orderId = query.RouteId("id", id);
            if (!query.IsValid)
            {
                return query.Problem();
            }
            var order = await orders.GetByIdAsync(orderId, ct).ConfigureAwait(false);
            return order is null
                ? ApiProblems.NotFound(request, $"There is no order {orderId}.")
                : new OkObjectResult(OrderResponse.From(order));
        });
}
