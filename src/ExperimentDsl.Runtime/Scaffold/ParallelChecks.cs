using System.Runtime.ExceptionServices;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>
/// Runs independent read-back checks on all cores and returns their results in input order, so
/// the stage that logs them writes the same log as a sequential loop would.
/// </summary>
internal static class ParallelChecks
{
    /// <summary>
    /// <paramref name="check"/> of every index from 0 to <paramref name="count"/> - 1. A failure
    /// surfaces as the check's own exception (not an AggregateException), as it did sequentially.
    /// </summary>
    public static T[] Run<T>(int count, Func<int, T> check)
    {
        var results = new T[count];
        try
        {
            Parallel.For(0, count, i => results[i] = check(i));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        return results;
    }
}
