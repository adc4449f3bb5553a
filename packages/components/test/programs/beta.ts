import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

const config = new pulumi.Config('beta');
const topic = new aws.sns.Topic('beta-topic', { name: config.require('topicName') });
export const topicName = topic.name;
export const project = pulumi.getProject();
