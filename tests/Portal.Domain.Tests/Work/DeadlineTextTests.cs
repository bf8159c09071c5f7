using Lethe.Portal.Domain.Work;

namespace Lethe.Portal.Domain.Tests.Work;

public class DeadlineTextTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, "due today")]
    [InlineData(1, "1 day left")]
    [InlineData(30, "30 days left")]
    [InlineData(-1, "overdue by 1 day")]
    [InlineData(-12, "overdue by 12 days")]
    public void Describe_counts_calendar_days(int days, string expected) =>
        Assert.Equal(expected, DeadlineText.Describe(Now.AddDays(days), Now));

    [Fact]
    public void A_deadline_later_today_is_not_overdue_and_yesterday_is()
    {
        Assert.False(DeadlineText.IsOverdue(Now.AddHours(-14), Now)); // 01:00 the same day
        Assert.True(DeadlineText.IsOverdue(Now.AddHours(-16), Now));  // 23:00 the day before
    }
}
