package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsses"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"
)

// sesEventsFunctions is the function fed by SES's email events through SNS
// (no route): it reads an invitation's lookup item (GetItem) and changes
// its delivery (UpdateItem), nothing else.
var sesEventsFunctions = []Function{
	{LogicalID: "SesEventsFunction", Dir: "ses-events", MailEvents: true,
		TableActions: []string{"dynamodb:GetItem", "dynamodb:UpdateItem"}},
}

func init() { Functions = append(Functions, sesEventsFunctions...) }

// MailEventTypes are the SES events the configuration set publishes to the
// topic; template.yaml's MatchingEventTypes hold the same.
var MailEventTypes = []awsses.EmailSendingEvent{
	awsses.EmailSendingEvent_BOUNCE, awsses.EmailSendingEvent_COMPLAINT,
	awsses.EmailSendingEvent_DELIVERY, awsses.EmailSendingEvent_REJECT,
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
	cs := awsses.NewConfigurationSet(stack, jsii.String("MailConfigurationSet"), &awsses.ConfigurationSetProps{})
	overrideLogicalID(cs, "MailConfigurationSet")
	dest := cs.AddEventDestination(jsii.String("MailEventsDestination"), &awsses.ConfigurationSetEventDestinationOptions{
		Destination: awsses.EventDestination_SnsTopic(topic),
		Events:      &MailEventTypes,
	})
	overrideLogicalID(dest, "MailEventsDestination")
	return mailEvents{topic: topic, configSet: cs}
}

// subscribe feeds the topic's notifications to fn.
func (m mailEvents) subscribe(fn awslambda.Function) {
	fn.AddEventSource(awslambdaeventsources.NewSnsEventSource(m.topic, nil))
}

// configurationSetArn is the ARN ses:SendEmail is also checked on when a
// message names the configuration set.
func (m mailEvents) configurationSetArn(stack awscdk.Stack) *string {
	return stack.FormatArn(&awscdk.ArnComponents{Service: jsii.String("ses"), Resource: jsii.String("configuration-set"),
		ResourceName: m.configSet.ConfigurationSetName()})
}
