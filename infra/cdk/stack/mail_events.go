package stack

import (
	"strconv"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsses"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"

	"roster/shared/deploy"
)

// mailEventTypes are the SES events the configuration set publishes to the
// topic (deploy.MailEventTypes, SES's own spelling).
func mailEventTypes() []awsses.EmailSendingEvent {
	out := make([]awsses.EmailSendingEvent, len(deploy.MailEventTypes))
	for i, t := range deploy.MailEventTypes {
		out[i] = awsses.EmailSendingEvent(strings.ToUpper(t))
	}
	return out
}

// mailEvents is the SES configuration set every email is sent through
// (SES_CONFIGURATION_SET) and the SNS topic its event destination
// publishes bounces, complaints, deliveries and rejects to.
type mailEvents struct {
	topic     awssns.Topic
	configSet awsses.ConfigurationSet
}

// newMailEvents defines the topic (SSL-only, SES allowed to publish from
// this account only) and the configuration set with its event destination.
func newMailEvents(stack awscdk.Stack) mailEvents {
	topic := awssns.NewTopic(stack, jsii.String("MailEventsTopic"), &awssns.TopicProps{
		DisplayName: jsii.String("Roster SES email events"),
		EnforceSSL:  jsii.Bool(true),
	})
	overrideLogicalID(topic, "MailEventsTopic")
	// Reputation metrics: the bounce and complaint rates the alarms watch.
	cs := awsses.NewConfigurationSet(stack, jsii.String("MailConfigurationSet"), &awsses.ConfigurationSetProps{ReputationMetrics: jsii.Bool(true)})
	overrideLogicalID(cs, "MailConfigurationSet")
	events := mailEventTypes()
	dest := cs.AddEventDestination(jsii.String("MailEventsDestination"), &awsses.ConfigurationSetEventDestinationOptions{
		Destination: awsses.EventDestination_SnsTopic(topic),
		Events:      &events,
	})
	overrideLogicalID(dest, "MailEventsDestination")
	return mailEvents{topic: topic, configSet: cs}
}

// subscribe feeds the topic's notifications to fn; what SNS cannot
// deliver is kept in the subscription's dead-letter queue (redrive policy).
func (m mailEvents) subscribe(stack awscdk.Stack, fn awslambda.Function, watch *monitored) {
	dlq := awssqs.NewQueue(stack, jsii.String("MailEventsDeadLetters"), &awssqs.QueueProps{
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:      jsii.Bool(true),
	})
	overrideLogicalID(dlq, "MailEventsDeadLetters")
	suppress(dlq, true, nagDeadLetterQueue...)
	watch.queues = append(watch.queues, dlq)
	fn.AddEventSource(awslambdaeventsources.NewSnsEventSource(m.topic, &awslambdaeventsources.SnsEventSourceProps{DeadLetterQueue: dlq}))
}

// configurationSetArn is the ARN ses:SendEmail is also checked on when a
// message names the configuration set.
func (m mailEvents) configurationSetArn(stack awscdk.Stack) *string {
	return stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("ses"), Resource: jsii.String("configuration-set"),
		ResourceName: m.configSet.ConfigurationSetName()})
}

// newMailDomain makes the domain an SES identity with Easy DKIM (2048-bit
// keys SES rotates) and outputs the three CNAME records to publish; SES
// verifies the domain once they resolve. docs/operations.md adds SPF and
// DMARC.
func newMailDomain(stack awscdk.Stack, domain string, m mailEvents) {
	id := awsses.NewEmailIdentity(stack, jsii.String("MailDomainIdentity"), &awsses.EmailIdentityProps{
		Identity:         awsses.Identity_Domain(jsii.String(domain)),
		ConfigurationSet: m.configSet,
		DkimSigning:      jsii.Bool(true),
	})
	overrideLogicalID(id, "MailDomainIdentity")
	for i, r := range *id.DkimRecords() {
		n := strconv.Itoa(i + 1)
		awscdk.NewCfnOutput(stack, jsii.String("DkimRecord"+n), &awscdk.CfnOutputProps{
			Description: jsii.String("DKIM record " + n + " of " + domain + ": a CNAME, name then value."),
			Value:       awscdk.Fn_Join(jsii.String(" CNAME "), &[]*string{r.Name, r.Value}),
		})
	}
}
