using Cronos;
using Microsoft.Azure.Functions.Worker;

namespace ErpFunctions.LocalRunner;

/// <summary>A timer trigger: NCRONTAB with seconds, as the Functions runtime reads it, one invocation at a time.</summary>
public sealed partial class TimerScheduler(FunctionEntry function, string schedule, IServiceProvider services, TimeProvider time,
    ILogger<TimerScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cron = CronExpression.Parse(schedule, CronFormat.IncludeSeconds);
        DateTime? last = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var next = cron.GetNextOccurrence(now) ?? throw new InvalidOperationException($"The schedule '{schedule}' never fires.");
            LogScheduled(function.Name, next);
            await Task.Delay(next - now, time, stoppingToken);

            var timer = new TimerInfo
            {
                IsPastDue = false,
                ScheduleStatus = new ScheduleStatus { Last = last ?? DateTime.MinValue, Next = cron.GetNextOccurrence(next) ?? next, LastUpdated = next },
            };
            try
            {
                await FunctionInvoker.InvokeAsync(services, function, p =>
                    p.ParameterType == typeof(TimerInfo) ? timer
                    : p.ParameterType == typeof(CancellationToken) ? stoppingToken
                    : throw new NotSupportedException($"The local runner cannot bind {p.ParameterType.Name} for a timer trigger."));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(function.Name, e.Message);
            }

            last = next;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Function} next runs at {Next:u}")]
    private partial void LogScheduled(string function, DateTime next);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Function} failed: {Reason}")]
    private partial void LogFailed(string function, string reason);
}
