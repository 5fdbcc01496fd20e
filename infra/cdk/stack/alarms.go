package stack

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"

	"roster/shared/deploy"
	"roster/shared/outbox"
)

// monitored is what the alarms watch: the functions (with their
// declarations), the dead-letter queues, the table, the API and the SES
// configuration set.
type monitored struct {
	functions []monitoredFunction
	queues    []awssqs.Queue
	table     awsdynamodb.Table
	api       awsapigatewayv2.HttpApi
	configSet *string
}

type monitoredFunction struct {
	decl deploy.Function
	fn   awslambda.Function
	logs awslogs.ILogGroup
}

// Alarm thresholds (docs/operations.md explains each alarm).
const (
	apiServerErrors       = 5     // 5xx answers in 5 minutes
	apiP99Millis          = 2000  // p99 latency, 3 periods of 5 minutes
	iteratorAgeMillis     = 60000 // a stream function a minute behind
	sesBounceRateAlarm    = 0.05  // SES reviews an account at 5%, pauses it at 10%
	sesComplaintRateAlarm = 0.001 // SES reviews at 0.1%, pauses at 0.5%
)

// newAlarms defines the alarms, all notifying one SNS topic (with an email
// subscription when email is set), and a dashboard of the same figures.
func newAlarms(stack awscdk.Stack, m monitored, email string) awssns.Topic {
	topic := awssns.NewTopic(stack, jsii.String("AlarmsTopic"), &awssns.TopicProps{
		DisplayName: jsii.String("Roster alarms"),
		EnforceSSL:  jsii.Bool(true),
	})
	overrideLogicalID(topic, "AlarmsTopic")
	if email != "" {
		topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(email), nil))
	}
	notify := awscloudwatchactions.NewSnsAction(topic)
	five := awscdk.Duration_Minutes(jsii.Number(5))
	alarm := func(id, what string, metric awscloudwatch.IMetric, threshold float64, periods float64, op awscloudwatch.ComparisonOperator) {
		a := awscloudwatch.NewAlarm(stack, jsii.String(id), &awscloudwatch.AlarmProps{
			AlarmName:          jsii.String(*stack.StackName() + "-" + id),
			AlarmDescription:   jsii.String(what + " See docs/operations.md#" + id + "."),
			Metric:             metric,
			Threshold:          jsii.Number(threshold),
			EvaluationPeriods:  jsii.Number(periods),
			ComparisonOperator: op,
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		overrideLogicalID(a, id)
		a.AddAlarmAction(notify)
		a.AddOkAction(notify)
	}
	gte := awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD
	gt := awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD

	var errorWidgets, iteratorWidgets []awscloudwatch.IMetric
	for i, f := range m.functions {
		sum := &awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Sum")}
		// Ids unique on the dashboard's graph of every function.
		e, t := fmt.Sprintf("errors%d", i), fmt.Sprintf("throttles%d", i)
		failures := awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
			Expression:   jsii.String(e + " + " + t),
			UsingMetrics: &map[string]awscloudwatch.IMetric{e: f.fn.MetricErrors(sum), t: f.fn.MetricThrottles(sum)},
			Label:        jsii.String(f.decl.Name),
			Period:       five,
		})
		alarm(f.decl.LogicalID()+"Failures", "The "+f.decl.Name+" function failed or was throttled.", failures, 1, 1, gte)
		errorWidgets = append(errorWidgets, failures)
		if f.decl.SendsMail {
			// SES refusing mail (an unverified sender, sending paused) is
			// no function error: the mail is marked failed. Its log line is
			// counted instead.
			refused := awslogs.NewMetricFilter(stack, jsii.String(f.decl.LogicalID()+"Refused"), &awslogs.MetricFilterProps{
				LogGroup:        f.logs,
				FilterPattern:   awslogs.FilterPattern_StringValue(jsii.String("$.msg"), jsii.String("="), jsii.String(outbox.RefusedMessage)),
				MetricNamespace: jsii.String("Roster"),
				MetricName:      jsii.String("MailRefused"),
				MetricValue:     jsii.String("1"),
				DefaultValue:    jsii.Number(0),
			})
			alarm("MailRefused", "SES refused to send Roster's mail (an unverified sender, sending paused, or a rejected message).",
				refused.Metric(&awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Sum")}), 1, 1, gte)
		}
		if f.decl.Stream {
			age := f.fn.Metric(jsii.String("IteratorAge"), &awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Maximum"), Label: jsii.String(f.decl.Name)})
			alarm(f.decl.LogicalID()+"IteratorAge", "The "+f.decl.Name+" function is more than a minute behind the table's stream.", age, iteratorAgeMillis, 3, gt)
			iteratorWidgets = append(iteratorWidgets, age)
		}
	}

	api5xx := m.api.MetricServerError(&awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Sum")})
	alarm("ApiServerErrors", "The API answered 5xx more than a few times.", api5xx, apiServerErrors, 1, gte)
	p99 := m.api.MetricLatency(&awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("p99")})
	alarm("ApiLatencyP99", "The API's slowest 1% of answers took more than 2 s for 15 minutes.", p99, apiP99Millis, 3, gt)

	ops := &[]awsdynamodb.Operation{awsdynamodb.Operation_GET_ITEM, awsdynamodb.Operation_PUT_ITEM, awsdynamodb.Operation_UPDATE_ITEM,
		awsdynamodb.Operation_DELETE_ITEM, awsdynamodb.Operation_QUERY, awsdynamodb.Operation_BATCH_GET_ITEM,
		awsdynamodb.Operation_TRANSACT_WRITE_ITEMS}
	throttled := m.table.MetricThrottledRequestsForOperations(&awsdynamodb.OperationsMetricOptions{Operations: ops, Period: five})
	alarm("TableThrottles", "DynamoDB throttled requests to the table.", throttled, 1, 1, gte)
	systemErrors := m.table.MetricSystemErrorsForOperations(&awsdynamodb.SystemErrorsForOperationsMetricOptions{Operations: ops, Period: five})
	alarm("TableSystemErrors", "DynamoDB failed requests to the table (its own errors).", systemErrors, 1, 1, gte)

	var queueWidgets []awscloudwatch.IMetric
	for _, q := range m.queues {
		id := *q.Node().Id()
		depth := q.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Maximum"), Label: jsii.String(id)})
		alarm(id+"NotEmpty", "Something failed for good and was kept in "+id+": replay it (docs/operations.md).", depth, 1, 1, gte)
		queueWidgets = append(queueWidgets, depth)
	}

	ses := func(name string) awscloudwatch.Metric {
		return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{Namespace: jsii.String("AWS/SES"), MetricName: jsii.String(name),
			DimensionsMap: &map[string]*string{"ses:configuration-set": m.configSet}, Period: awscdk.Duration_Hours(jsii.Number(1)),
			Statistic: jsii.String("Average")})
	}
	alarm("SesBounceRate", "More than 5% of Roster's emails bounce: SES pauses sending at 10%.", ses("Reputation.BounceRate"), sesBounceRateAlarm, 1, gt)
	alarm("SesComplaintRate", "More than 0.1% of Roster's emails are marked as spam: SES pauses sending at 0.5%.", ses("Reputation.ComplaintRate"), sesComplaintRateAlarm, 1, gt)

	dash := awscloudwatch.NewDashboard(stack, jsii.String("Dashboard"), &awscloudwatch.DashboardProps{
		DashboardName: jsii.String(*stack.StackName()),
	})
	overrideLogicalID(dash, "Dashboard")
	graph := func(title string, width float64, metrics []awscloudwatch.IMetric) awscloudwatch.IWidget {
		return awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{Title: jsii.String(title), Width: jsii.Number(width), Left: &metrics})
	}
	dash.AddWidgets(
		graph("API requests and 5xx", 6, []awscloudwatch.IMetric{m.api.MetricCount(&awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Sum")}), api5xx}),
		graph("API latency p99 (ms)", 6, []awscloudwatch.IMetric{p99}),
		// One graph each: both expressions name their metrics by operation.
		graph("DynamoDB throttled requests", 6, []awscloudwatch.IMetric{throttled}),
		graph("DynamoDB system errors", 6, []awscloudwatch.IMetric{systemErrors}),
	)
	dash.AddWidgets(
		graph("Function errors and throttles", 12, errorWidgets),
		graph("Stream iterator age (ms)", 12, iteratorWidgets),
	)
	dash.AddWidgets(
		graph("Dead-letter queues", 8, queueWidgets),
		graph("Table capacity", 8, []awscloudwatch.IMetric{
			m.table.MetricConsumedReadCapacityUnits(&awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Sum")}),
			m.table.MetricConsumedWriteCapacityUnits(&awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Sum")}),
		}),
		graph("SES bounce and complaint rates", 8, []awscloudwatch.IMetric{ses("Reputation.BounceRate"), ses("Reputation.ComplaintRate")}),
	)
	return topic
}
