using Azure;

namespace Participa.Storage;

public static class StorageFaults
{
    /// <summary>
    /// True when storage could not be reached or is throttling, so the caller should answer 503 and let the
    /// client retry, rather than 500.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        RequestFailedException => false,
        HttpRequestException or TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsUnavailable),
        _ => exception.InnerException is { } inner && IsUnavailable(inner),
    };
}
