/* The Chinese catalogue, merged from the features' files. A key belongs to one feature (tested). */
import { commonMessages } from "./common";
import { importMessages } from "./import";
import { targetsMessages } from "./targets";
import { planMessages } from "./plan";
import { trackingMessages } from "./tracking";
import { correctionsMessages } from "./corrections";
import { driversMessages } from "./drivers";
import { moneyMessages } from "./money";
import { dashboardMessages } from "./dashboard";
import { cliMessages } from "./cli";
import { selfevalMessages } from "./selfeval";
import { rectificationMessages } from "./rectification";
import { selfevalListMessages } from "./selfeval-list";
import { calendarMessages } from "./calendar";
import { todoMessages } from "./todo";
import { paymentsMessages } from "./payments";
import { usersMessages } from "./users";
import { systemMessages } from "./system";
import { securityMessages } from "./security";

export const zhFeatures = { commonMessages, importMessages, targetsMessages, planMessages, trackingMessages, correctionsMessages, driversMessages, moneyMessages, dashboardMessages, cliMessages, selfevalMessages, rectificationMessages, selfevalListMessages, calendarMessages, todoMessages, paymentsMessages, usersMessages, securityMessages, systemMessages };

export const zh = { ...commonMessages, ...importMessages, ...targetsMessages, ...planMessages, ...trackingMessages, ...correctionsMessages, ...driversMessages, ...moneyMessages, ...dashboardMessages, ...cliMessages, ...selfevalMessages, ...rectificationMessages, ...selfevalListMessages, ...calendarMessages, ...todoMessages, ...paymentsMessages, ...usersMessages, ...securityMessages, ...systemMessages };
