"""moto_server that creates the wiring resources moto's CloudFormation skips.

moto 5.2 has no CloudFormation support for AWS::SNS::Subscription,
AWS::SNS::TopicPolicy and AWS::SQS::QueuePolicy (it skips them with a warning and
reports the stack complete), and ignores an AWS::S3::Bucket's
NotificationConfiguration (see docs/moto.md). The wiring end-to-end test
(`e2e_wiring_moto.rs`) must see those pieces act, so this wrapper creates each one
through moto's own service backends, exactly as the template states it, and then
runs moto's server main with the given arguments. Nothing is evaluated here: a
wrong endpoint, queue URL or bucket name fails in moto's backends as it would in
AWS; policies are stored on their topic or queue (moto never enforces them).
"""

import json
import sys

from moto.core.common_models import CloudFormationModel
from moto.s3 import models as s3_models
from moto.sns.models import sns_backends
from moto.sqs.models import sqs_backends


class _Created:
    """A resource made through a service backend; its physical ID is what Ref returns.
    A mixin: moto finds models among the direct subclasses of CloudFormationModel."""

    def __init__(self, physical_id):
        self.physical_id = physical_id

    @property
    def physical_resource_id(self):
        return self.physical_id

    @staticmethod
    def cloudformation_name_type():
        return ""

    @classmethod
    def has_cfn_attr(cls, attr):
        return False


class CfnSubscription(_Created, CloudFormationModel):
    __module__ = "moto.sns.wiring"  # moto files a model under its module's service

    @staticmethod
    def cloudformation_type():
        return "AWS::SNS::Subscription"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        backend = sns_backends[account_id][region_name]
        subscription = backend.subscribe(props["TopicArn"], props["Endpoint"], props["Protocol"])
        if "RawMessageDelivery" in props:
            # moto keeps a boolean (as its API layer converts it); CloudFormation takes "true" too.
            raw = str(props["RawMessageDelivery"]).lower() == "true"
            backend.set_subscription_attributes(subscription.arn, "RawMessageDelivery", raw)
        if "FilterPolicy" in props:
            policy = json.dumps(props["FilterPolicy"])
            backend.set_subscription_attributes(subscription.arn, "FilterPolicy", policy)
        if "FilterPolicyScope" in props:
            backend.set_subscription_attributes(subscription.arn, "FilterPolicyScope", props["FilterPolicyScope"])
        return cls(subscription.arn)


class CfnTopicPolicy(_Created, CloudFormationModel):
    __module__ = "moto.sns.wiring"

    @staticmethod
    def cloudformation_type():
        return "AWS::SNS::TopicPolicy"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        backend = sns_backends[account_id][region_name]
        for topic in props["Topics"]:
            # moto sets the attribute named as the API lower-cases it.
            backend.set_topic_attribute(topic, "policy", json.dumps(props["PolicyDocument"]))
        return cls(resource_name)


class CfnQueuePolicy(_Created, CloudFormationModel):
    __module__ = "moto.sqs.wiring"

    @staticmethod
    def cloudformation_type():
        return "AWS::SQS::QueuePolicy"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        props = cloudformation_json["Properties"]
        backend = sqs_backends[account_id][region_name]
        for url in props["Queues"]:
            # A queue URL ends with the queue's name; an ARN here fails as in SQS.
            backend.set_queue_attributes(url.rsplit("/", 1)[-1], {"Policy": json.dumps(props["PolicyDocument"])})
        return cls(resource_name)


_create_bucket = s3_models.FakeBucket.create_from_cloudformation_json.__func__


def create_bucket_with_notifications(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    bucket = _create_bucket(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    config = cloudformation_json.get("Properties", {}).get("NotificationConfiguration", {})
    # Key filters are left out: their CloudFormation and API shapes differ.
    topics = [{"Topic": t["Topic"], "Event": [t["Event"]]} for t in config.get("TopicConfigurations", [])]
    if topics:
        bucket.set_notification_configuration({"TopicConfiguration": topics})
    return bucket


s3_models.FakeBucket.create_from_cloudformation_json = classmethod(create_bucket_with_notifications)

from moto.server import main  # noqa: E402  (after the patches, as moto imports models)

if __name__ == "__main__":
    sys.exit(main())
